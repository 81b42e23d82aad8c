// x-kubernetes-validations: CEL rules on a schema node, evaluated with `self` bound to the value there,
// as upstream's apiextensions CEL validator does (one runtime budget per object; transition rules, those
// naming oldSelf, are left out on create as upstream does and, here, on update too).
import { type FieldError, invalid } from "../../../kube/field-errors.ts";
import { activation, type Budget, type CelProgram, compile, evaluate } from "../cel/cel.ts";

export interface ValidationRule {
  rule: string;
  message?: string;
  fieldPath?: string;
  reason?: string;
}

const VARIABLES = ["self"];
const cache = new Map<string, CelProgram | string>();

function program(rule: string): CelProgram | string {
  const hit = cache.get(rule);
  if (hit) return hit;
  const compiled = compile(rule, VARIABLES);
  const out = compiled.program ?? compiled.error;
  if (cache.size >= 512) cache.delete(cache.keys().next().value as string);
  cache.set(rule, out);
  return out;
}

const isTransition = (rule: string) => /\boldSelf\b/.test(rule);

/** Why a rule cannot be used (for CRD validation), or undefined. */
export function ruleProblem(rule: ValidationRule): string | undefined {
  if (typeof rule?.rule !== "string" || rule.rule === "") return "rule is required";
  if (isTransition(rule.rule)) return undefined;
  const p = program(rule.rule);
  return typeof p === "string" ? `compilation failed: ${p}` : undefined;
}

/** The errors of the rules at `path`; `typeName` is the value's JSON type, as upstream shows it. */
export function ruleErrors(
  rules: readonly ValidationRule[],
  value: unknown,
  path: string,
  typeName: string,
  budget: Budget,
): FieldError[] {
  const errs: FieldError[] = [];
  const self = activation({ self: value });
  for (const r of rules) {
    if (isTransition(r.rule)) continue;
    const p = program(r.rule);
    if (typeof p === "string") continue; // refused when the CRD was written
    const result = evaluate(p, self, budget);
    const at = r.fieldPath ? `${path}${r.fieldPath}` : path;
    if (result.error !== undefined) errs.push(invalid(at, typeName, result.error));
    else if (result.value !== true) errs.push(invalid(at, typeName, r.message ?? `failed rule: ${r.rule}`));
  }
  return errs;
}
