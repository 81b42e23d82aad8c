// CEL for the cluster: compile an expression once against the variables it may use, evaluate it many
// times with limits. Shared by ValidatingAdmissionPolicy and CRD validation rules; callers bring the
// variable names and values and get a value or an error's text back, nothing library-specific.
import { COST_LIMIT_EXCEEDED, environmentFor, type Meter, metered, routeRootMatches } from "./environment.ts";
import { fromCel, toCel } from "./values.ts";

/** Upstream's per-expression runtime cost limit (celconfig.PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;
/** Upstream's runtime budget for all the expressions of one policy or object (celconfig.RuntimeCELCostBudget). */
export const RUNTIME_BUDGET = 10_000_000;
/** Longer expressions are refused before parsing: parse time and memory stay bounded. */
export const MAX_EXPRESSION_LENGTH = 64 * 1024;

export interface CelProgram {
  expression: string;
  variables: readonly string[];
  /** The library's compiled form; opaque to callers. */
  run(context: Record<string, unknown>): unknown;
}

export type CompileResult = { program: CelProgram; error?: undefined } | { program?: undefined; error: string };

/** Values bound to a program's variables, converted to CEL once and reusable across programs. */
export type Activation = Readonly<Record<string, unknown>>;

/** The value (JSON) when `error` is undefined; `cost` is what the evaluation was charged. */
export interface EvalResult {
  value?: unknown;
  error?: string;
  cost: number;
}

/** A budget several evaluations draw from (one admission request, one object's rules). */
export interface Budget {
  remaining: number;
}

export function newBudget(total = RUNTIME_BUDGET): Budget {
  return { remaining: total };
}

function firstLine(message: string): string {
  return message.split("\n")[0].trim();
}

/** Parses and type-checks `expression`; refers only to `variables` (each of any type). */
export function compile(expression: string, variables: readonly string[]): CompileResult {
  if (expression.length > MAX_EXPRESSION_LENGTH)
    return { error: `expression is too long: ${expression.length} characters, at most ${MAX_EXPRESSION_LENGTH}` };
  if (expression.includes("__flotilla_")) return { error: "undeclared reference to '__flotilla_'" };
  const env = environmentFor(variables);
  try {
    const parsed = env.parse(expression);
    const checked = parsed.check();
    if (!checked.valid) return { error: checked.error ? firstLine(checked.error.message) : "type check failed" };
    routeRootMatches(parsed.ast as unknown as Parameters<typeof routeRootMatches>[0]);
    return { program: { expression, variables, run: parsed } };
  } catch (err) {
    return { error: err instanceof Error ? firstLine(err.message) : String(err) };
  }
}

/** JSON values for a program's variables, converted once (absent ones are CEL null). */
export function activation(values: Record<string, unknown>): Activation {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) out[name] = value === undefined ? null : toCel(value);
  return out;
}

/**
 * Evaluates with at most PER_CALL_LIMIT cost (and at most what `budget` has left, which it is charged):
 * the value as JSON, or the error's text — never a throw, never an unbounded run.
 */
export function evaluate(program: CelProgram, bindings: Activation, budget?: Budget): EvalResult {
  const limit = Math.min(PER_CALL_LIMIT, budget?.remaining ?? PER_CALL_LIMIT);
  const meter: Meter = { used: 0, limit, exceeded: false };
  const context: Record<string, unknown> = {};
  for (const name of program.variables) context[name] = bindings[name] ?? null;
  let result: EvalResult;
  try {
    const value = metered(meter, () => program.run(context));
    result = meter.exceeded
      ? { error: COST_LIMIT_EXCEEDED, cost: meter.used }
      : { value: fromCel(value), cost: meter.used };
  } catch (err) {
    const message = meter.exceeded ? COST_LIMIT_EXCEEDED : err instanceof Error ? firstLine(err.message) : String(err);
    result = { error: message, cost: meter.used };
  }
  if (budget) budget.remaining -= Math.min(meter.used, budget.remaining);
  return result;
}
