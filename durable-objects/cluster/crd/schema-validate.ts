// Validation of a custom resource against its version's openAPIV3Schema, with the field paths and
// messages upstream's apiextensions validator (kube-openapi's validate, converted to field errors) gives.
import { type FieldError, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import type { JSONSchemaProps } from "../../../kube/schema/json-schema.ts";
import { checkFormat } from "./schema-formats.ts";
import { compiledPattern } from "./schema-patterns.ts";
import { type Budget, newBudget } from "../cel/cel.ts";
import { ruleErrors, type ValidationRule } from "./schema-rules.ts";

const typeName = (v: unknown): string => {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
};

function typeMatches(schema: JSONSchemaProps, v: unknown): boolean {
  if (schema["x-kubernetes-int-or-string"])
    return typeof v === "string" || (typeof v === "number" && Number.isInteger(v));
  switch (schema.type) {
    case undefined:
      return true;
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number";
    default:
      return typeof v === schema.type;
  }
}

/** Primitives compare directly; only object and array values need their JSON compared. */
function inEnum(values: readonly unknown[], v: unknown): boolean {
  if (typeof v !== "object") return values.includes(v);
  const text = JSON.stringify(v);
  return values.some((e) => typeof e === "object" && JSON.stringify(e) === text);
}

const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The errors of `value` at `path` (e.g. "spec.size") against `schema`. */
export function validateValue(schema: JSONSchemaProps, value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, value, path, errs, newBudget());
  return errs;
}

function walk(schema: JSONSchemaProps, v: unknown, path: string, errs: FieldError[], budget: Budget): void {
  if (v === undefined) return; // absent (a status an update carried over from nothing)
  if (v === null) {
    if (!schema.nullable && schema.type !== undefined && !schema["x-kubernetes-preserve-unknown-fields"])
      errs.push(invalid(path, "null", `${path} in body must be of type ${schema.type}: "null"`));
    return;
  }
  if (!typeMatches(schema, v)) {
    const t = typeName(v);
    errs.push(invalid(path, t, `${path} in body must be of type ${schema.type}: "${t}"`));
    return;
  }
  const before = errs.length;
  if (schema.enum && !inEnum(schema.enum, v))
    errs.push(
      notSupported(
        path,
        v,
        schema.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e))),
      ),
    );
  if (typeof v === "string") stringChecks(schema, v, path, errs);
  if (typeof v === "number") numberChecks(schema, v, path, errs);
  if (Array.isArray(v)) arrayChecks(schema, v, path, errs, budget);
  else if (typeof v === "object") objectChecks(schema, v as Record<string, unknown>, path, errs, budget);
  for (const sub of schema.allOf ?? []) walk({ ...sub, type: sub.type }, v, path, errs, budget);
  if (errs.length > before) return;
  const rules = schema["x-kubernetes-validations"] as ValidationRule[] | undefined;
  if (rules?.length) errs.push(...ruleErrors(rules, v, path, typeName(v), budget));
  if (schema.anyOf && !schema.anyOf.some((s) => validateValue(s, v, path).length === 0))
    errs.push(invalid(path, v, `${path} in body must validate at least one schema (anyOf)`));
  if (schema.oneOf && schema.oneOf.filter((s) => validateValue(s, v, path).length === 0).length !== 1)
    errs.push(invalid(path, v, `${path} in body must validate one and only one schema (oneOf)`));
  if (schema.not && validateValue(schema.not, v, path).length === 0)
    errs.push(invalid(path, v, `${path} in body should not validate the schema (not)`));
}

function stringChecks(schema: JSONSchemaProps, v: string, path: string, errs: FieldError[]): void {
  // Code points, as Go counts a string's length for these checks; counted only when a bound asks.
  const length = schema.maxLength !== undefined || schema.minLength !== undefined ? [...v].length : 0;
  if (schema.maxLength !== undefined && length > schema.maxLength)
    errs.push({ type: "FieldValueTooLong", field: path, detail: `may not be more than ${schema.maxLength} bytes` });
  if (schema.minLength !== undefined && length < schema.minLength)
    errs.push(invalid(path, v, `${path} in body should be at least ${schema.minLength} chars long`));
  if (schema.pattern !== undefined && !compiledPattern(schema.pattern).test(v))
    errs.push(invalid(path, v, `${path} in body should match '${schema.pattern}'`));
  if (schema.format && !checkFormat(schema.format, v))
    errs.push(invalid(path, v, `${path} in body must be of type ${schema.format}: ${JSON.stringify(v)}`));
}

function numberChecks(schema: JSONSchemaProps, v: number, path: string, errs: FieldError[]): void {
  const { minimum, maximum, multipleOf } = schema;
  if (minimum !== undefined && (schema.exclusiveMinimum ? v <= minimum : v < minimum))
    errs.push(
      invalid(
        path,
        v,
        `${path} in body should be greater than ${schema.exclusiveMinimum ? "" : "or equal to "}${minimum}`,
      ),
    );
  if (maximum !== undefined && (schema.exclusiveMaximum ? v >= maximum : v > maximum))
    errs.push(
      invalid(
        path,
        v,
        `${path} in body should be less than ${schema.exclusiveMaximum ? "" : "or equal to "}${maximum}`,
      ),
    );
  if (multipleOf !== undefined && multipleOf > 0 && !Number.isInteger(v / multipleOf))
    errs.push(invalid(path, v, `${path} in body should be a multiple of ${multipleOf}`));
}

function arrayChecks(schema: JSONSchemaProps, v: unknown[], path: string, errs: FieldError[], budget: Budget): void {
  if (schema.maxItems !== undefined && v.length > schema.maxItems)
    errs.push({
      type: "FieldValueTooMany",
      field: path,
      detail: `${v.length}: must have at most ${schema.maxItems} items`,
    });
  if (schema.minItems !== undefined && v.length < schema.minItems)
    errs.push(invalid(path, v.length, `${path} in body should have at least ${schema.minItems} items`));
  if (schema.items) for (const [i, item] of v.entries()) walk(schema.items, item, `${path}[${i}]`, errs, budget);
}

function objectChecks(
  schema: JSONSchemaProps,
  v: Record<string, unknown>,
  path: string,
  errs: FieldError[],
  budget: Budget,
): void {
  for (const name of schema.required ?? []) if (v[name] === undefined) errs.push(required(child(path, name)));
  const count = Object.keys(v).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties)
    errs.push({
      type: "FieldValueTooMany",
      field: path,
      detail: `${count}: must have at most ${schema.maxProperties} items`,
    });
  if (schema.minProperties !== undefined && count < schema.minProperties)
    errs.push(invalid(path, count, `${path} in body should have at least ${schema.minProperties} properties`));
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const [key, value] of Object.entries(v)) {
    const sub = schema.properties?.[key] ?? extra;
    if (sub) walk(sub, value, child(path, key), errs, budget);
  }
}
