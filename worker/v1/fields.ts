// Field rules for /v1 bodies: each field's type and range, required or optional, and no
// fields beyond those known (a misspelt field is an error, not silently ignored).
import { badRequest } from "./errors.ts";

export type Rule<T> = (value: unknown, field: string) => T;

const describe = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);

export function string(opts: {
  min?: number;
  max: number;
  pattern?: RegExp;
  hint?: string;
  /** Surrounding whitespace is dropped before the checks (and from the result). */
  trim?: boolean;
}): Rule<string> {
  return (raw, field) => {
    if (typeof raw !== "string") throw badRequest(`"${field}" must be a string, not ${describe(raw)}`, field);
    const value = opts.trim ? raw.trim() : raw;
    if (value.length < (opts.min ?? 1))
      throw badRequest(`"${field}" must be at least ${opts.min ?? 1} characters long`, field);
    if (value.length > opts.max) throw badRequest(`"${field}" must be at most ${opts.max} characters long`, field);
    if (opts.pattern && !opts.pattern.test(value))
      throw badRequest(`"${field}" ${opts.hint ?? `must match ${opts.pattern}`}`, field);
    return value;
  };
}

export function integer(opts: { min: number; max: number }): Rule<number> {
  return (value, field) => {
    if (typeof value !== "number" || !Number.isInteger(value))
      throw badRequest(`"${field}" must be an integer, not ${describe(value)}`, field);
    if (value < opts.min || value > opts.max)
      throw badRequest(`"${field}" must be between ${opts.min} and ${opts.max}`, field);
    return value;
  };
}

export function oneOf<const T extends string>(values: readonly T[]): Rule<T> {
  return (value, field) => {
    if (typeof value !== "string" || !(values as readonly string[]).includes(value))
      throw badRequest(`"${field}" must be one of ${values.map((v) => `"${v}"`).join(", ")}`, field);
    return value as T;
  };
}

const OPTIONAL = Symbol("optional");
type Optional<T> = Rule<T | undefined> & { [OPTIONAL]: true };

export function optional<T>(rule: Rule<T>): Optional<T> {
  const wrapped = ((value: unknown, field: string) =>
    value === undefined ? undefined : rule(value, field)) as Optional<T>;
  wrapped[OPTIONAL] = true;
  return wrapped;
}

type Parsed<S extends Record<string, Rule<unknown>>> = { [K in keyof S]: ReturnType<S[K]> };

export function parseFields<S extends Record<string, Rule<unknown>>>(
  body: Record<string, unknown>,
  spec: S,
): Parsed<S> {
  for (const key of Object.keys(body))
    if (!Object.hasOwn(spec, key))
      throw badRequest(
        `unknown field "${key}"; expected ${
          Object.keys(spec)
            .map((k) => `"${k}"`)
            .join(", ") || "no fields"
        }`,
        key,
      );
  const out: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(spec)) {
    const value = body[field];
    if (value === undefined && !(OPTIONAL in rule)) throw badRequest(`"${field}" is required`, field);
    out[field] = rule(value, field);
  }
  return out as Parsed<S>;
}
