// One ValidatingAdmissionPolicy evaluated for one parameter, as upstream's validator does: the match
// conditions, the variables, each validation (its message from messageExpression, message or the
// expression itself), evaluation errors decided by failurePolicy, all within one runtime cost budget.
import type { KubeObject } from "../../../kube/types.ts";
import {
  type Activation,
  activation,
  type CelProgram,
  compile,
  type EvalResult,
  evaluate,
  newBudget,
} from "../cel/cel.ts";
import { MATCH_CONDITION_VARIABLES, POLICY_VARIABLES } from "../registry/admission-policy-validation.ts";

export interface Decision {
  deny: boolean;
  message: string;
  reason?: string;
}

interface Compiled<T> {
  program?: CelProgram;
  error?: string;
  source: T;
}

interface Validation {
  expression: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
}

export interface CompiledPolicy {
  failurePolicy: string;
  matchConditions: Compiled<{ name: string; expression: string }>[];
  variables: Compiled<{ name: string; expression: string }>[];
  validations: { check: Compiled<Validation>; message?: Compiled<string> }[];
}

const OUT_OF_BUDGET = "validation failed due to running out of cost budget, no further validation rules will be run";
/** celconfig.MaxEvaluatedMessageExpressionSizeBytes */
const MAX_MESSAGE_BYTES = 5 * 1024;

function compiled<T>(source: T, expression: string, variables: string[]): Compiled<T> {
  const result = compile(expression, variables);
  return { source, program: result.program, error: result.error };
}

const cache = new Map<string, CompiledPolicy>();
const CACHE_LIMIT = 128;

/** The policy's programs, compiled once per stored version of it. */
export function compilePolicy(policy: KubeObject): CompiledPolicy {
  const key = `${policy.metadata.uid}/${policy.metadata.resourceVersion}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const spec = policy.spec ?? {};
  const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
  const result: CompiledPolicy = {
    failurePolicy: spec.failurePolicy ?? "Fail",
    matchConditions: list<{ name: string; expression: string }>(spec.matchConditions).map((m) =>
      compiled(m, m.expression, MATCH_CONDITION_VARIABLES),
    ),
    variables: list<{ name: string; expression: string }>(spec.variables).map((v) =>
      compiled(v, v.expression, POLICY_VARIABLES),
    ),
    validations: list<Validation>(spec.validations).map((v) => ({
      check: compiled(v, v.expression, POLICY_VARIABLES),
      message: v.messageExpression ? compiled(v.messageExpression, v.messageExpression, POLICY_VARIABLES) : undefined,
    })),
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

function resultError(expression: string, error: string): string {
  return `expression '${expression}' resulted in error: ${error}`;
}

function messageOf(
  v: { check: Compiled<Validation>; message?: Compiled<string> },
  bindings: Activation,
  budget = newBudget(),
): string {
  if (v.message?.program) {
    const r = evaluate(v.message.program, bindings, budget);
    if (r.error === undefined && typeof r.value === "string") {
      const text = r.value.trim();
      if (text && text.length <= MAX_MESSAGE_BYTES && !text.includes("\n")) return text;
    }
  }
  const message = v.check.source.message?.trim();
  return message || `failed expression: ${v.check.source.expression.trim()}`;
}

/** The decisions of one evaluation (empty when a match condition is false). */
export function evaluatePolicy(policy: CompiledPolicy, values: Record<string, unknown>): Decision[] {
  const failDeny = policy.failurePolicy !== "Ignore";
  const onError = (message: string): Decision[] => (failDeny ? [{ deny: true, message }] : []);
  const budget = newBudget();
  const base = activation(values);
  for (const m of policy.matchConditions) {
    if (!m.program) return onError(`compilation failed: ${m.error}`);
    const r = evaluate(m.program, base, budget);
    if (r.error !== undefined) return onError(resultError(m.source.expression, r.error));
    if (r.value === false) return [];
  }
  const variables: Record<string, unknown> = {};
  const variableErrors = new Map<string, string>();
  for (const v of policy.variables) {
    const r: EvalResult = v.program
      ? evaluate(v.program, activation({ ...values, variables }), budget)
      : { error: v.error, cost: 0 };
    if (r.error !== undefined) variableErrors.set(v.source.name, resultError(v.source.expression, r.error));
    else variables[v.source.name] = r.value;
  }
  const bindings = policy.variables.length > 0 ? activation({ ...values, variables }) : base;
  const decisions: Decision[] = [];
  for (const v of policy.validations) {
    if (budget.remaining <= 0) return onError(OUT_OF_BUDGET);
    if (!v.check.program) {
      decisions.push(...onError(`compilation failed: ${v.check.error}`));
      continue;
    }
    const usedError = [...variableErrors].find(([name]) => v.check.source.expression.includes(`variables.${name}`));
    const r: EvalResult = usedError ? { error: usedError[1], cost: 0 } : evaluate(v.check.program, bindings, budget);
    if (r.error !== undefined) {
      decisions.push(...onError(usedError ? r.error : resultError(v.check.source.expression, r.error)));
      continue;
    }
    if (r.value === true) continue;
    decisions.push({ deny: true, message: messageOf(v, bindings, budget), reason: v.check.source.reason ?? "Invalid" });
  }
  return decisions;
}
