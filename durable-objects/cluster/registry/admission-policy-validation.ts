// Upstream's ValidateValidatingAdmissionPolicy / ValidateValidatingAdmissionPolicyBinding
// (pkg/apis/admissionregistration/validation): the match rules, the enumerations, and every CEL
// expression compiled at write time so a bad one is refused with its field path, not found at admission.
import { type FieldError, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { compile } from "../cel/cel.ts";

/** The variables of validations, messageExpressions and auditAnnotations (authorizer is not served). */
export const POLICY_VARIABLES = ["object", "oldObject", "request", "params", "namespaceObject", "variables"];
/** matchConditions and variables see the same, without `variables` in matchConditions. */
export const MATCH_CONDITION_VARIABLES = ["object", "oldObject", "request", "params", "namespaceObject"];

const OPERATIONS = ["*", "CREATE", "UPDATE", "DELETE", "CONNECT"];
const FAILURE_POLICIES = ["Ignore", "Fail"];
const MATCH_POLICIES = ["Exact", "Equivalent"];
const SCOPES = ["Cluster", "Namespaced", "*"];
const REASONS = ["Unauthorized", "Forbidden", "Invalid", "RequestEntityTooLarge"];
const ACTIONS = ["Deny", "Warn", "Audit"];
const PARAM_NOT_FOUND = ["Allow", "Deny"];
const CEL_IDENTIFIER = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function compiled(field: string, expression: unknown, variables: string[]): FieldError[] {
  if (typeof expression !== "string" || expression.trim() === "") return [required(field)];
  const result = compile(expression, variables);
  return result.error === undefined ? [] : [invalid(field, expression, `compilation failed: ${result.error}`)];
}

function enumField(field: string, value: unknown, allowed: string[], mandatory = false): FieldError[] {
  if (value === undefined || value === null) return mandatory ? [required(field)] : [];
  return typeof value === "string" && allowed.includes(value) ? [] : [notSupported(field, value, allowed)];
}

function stringList(field: string, value: unknown, oneStar: boolean): FieldError[] {
  const list = asList(value);
  if (list.length === 0) return [required(field)];
  if (oneStar && list.includes("*") && list.length > 1)
    return [invalid(field, list, "if '*' is present, must not specify other resources without subresources")];
  return [];
}

function validateRules(field: string, rules: unknown, mandatory: boolean): FieldError[] {
  const list = asList(rules);
  if (mandatory && list.length === 0) return [required(field)];
  return list.flatMap((r, i) => {
    const rule = asObj(r);
    const at = `${field}[${i}]`;
    const ops = asList(rule.operations);
    return [
      ...stringList(`${at}.apiGroups`, rule.apiGroups, false),
      ...stringList(`${at}.apiVersions`, rule.apiVersions, false),
      ...stringList(`${at}.resources`, rule.resources, true),
      ...(ops.length === 0 ? [required(`${at}.operations`)] : []),
      ...ops.flatMap((op, j) => enumField(`${at}.operations[${j}]`, op, OPERATIONS)),
      ...enumField(`${at}.scope`, rule.scope, SCOPES),
    ];
  });
}

function validateMatchResources(field: string, value: unknown, forPolicy: boolean): FieldError[] {
  if (value === undefined || value === null) return forPolicy ? [required(field)] : [];
  const m = asObj(value);
  return [
    ...validateRules(`${field}.resourceRules`, m.resourceRules, forPolicy),
    ...validateRules(`${field}.excludeResourceRules`, m.excludeResourceRules, false),
    ...enumField(`${field}.matchPolicy`, m.matchPolicy, MATCH_POLICIES),
  ];
}

function namedExpressions(field: string, list: unknown, variables: string[], nameOf: string): FieldError[] {
  return asList(list).flatMap((e, i) => {
    const item = asObj(e);
    const name = item[nameOf];
    const errs: FieldError[] = [];
    if (typeof name !== "string" || name === "") errs.push(required(`${field}[${i}].${nameOf}`));
    else if (nameOf === "name" && field.endsWith("variables") && !CEL_IDENTIFIER.test(name))
      errs.push(invalid(`${field}[${i}].name`, name, "name is not a valid CEL identifier"));
    const exprField = nameOf === "key" ? "valueExpression" : "expression";
    return [...errs, ...compiled(`${field}[${i}].${exprField}`, item[exprField], variables)];
  });
}

export function validatePolicy(o: KubeObject): FieldError[] {
  const spec = asObj(o.spec);
  const errs: FieldError[] = [];
  const paramKind = spec.paramKind === undefined ? undefined : asObj(spec.paramKind);
  if (paramKind) {
    if (!paramKind.apiVersion) errs.push(required("spec.paramKind.apiVersion"));
    if (!paramKind.kind) errs.push(required("spec.paramKind.kind"));
  }
  errs.push(...validateMatchResources("spec.matchConstraints", spec.matchConstraints, true));
  errs.push(...enumField("spec.failurePolicy", spec.failurePolicy, FAILURE_POLICIES));
  const validations = asList(spec.validations);
  if (validations.length === 0 && asList(spec.auditAnnotations).length === 0)
    errs.push(required("spec.validations", "validations or auditAnnotations must contain at least one item"));
  validations.forEach((v, i) => {
    const item = asObj(v);
    const at = `spec.validations[${i}]`;
    errs.push(...compiled(`${at}.expression`, item.expression, POLICY_VARIABLES));
    if (item.messageExpression !== undefined)
      errs.push(...compiled(`${at}.messageExpression`, item.messageExpression, POLICY_VARIABLES));
    if (typeof item.message === "string" && /[\r\n]/.test(item.message))
      errs.push(invalid(`${at}.message`, item.message, "message must not contain line breaks"));
    errs.push(...enumField(`${at}.reason`, item.reason, REASONS));
  });
  errs.push(...namedExpressions("spec.matchConditions", spec.matchConditions, MATCH_CONDITION_VARIABLES, "name"));
  errs.push(...namedExpressions("spec.variables", spec.variables, POLICY_VARIABLES, "name"));
  errs.push(...namedExpressions("spec.auditAnnotations", spec.auditAnnotations, POLICY_VARIABLES, "key"));
  return errs;
}

export function validateBinding(o: KubeObject): FieldError[] {
  const spec = asObj(o.spec);
  const errs: FieldError[] = [];
  if (typeof spec.policyName !== "string" || spec.policyName === "") errs.push(required("spec.policyName"));
  const actions = asList(spec.validationActions);
  if (actions.length === 0) errs.push(required("spec.validationActions"));
  actions.forEach((a, i) => {
    errs.push(...enumField(`spec.validationActions[${i}]`, a, ACTIONS));
    if (actions.indexOf(a) !== i)
      errs.push({ type: "FieldValueDuplicate", field: `spec.validationActions[${i}]`, value: a });
  });
  if (actions.includes("Deny") && actions.includes("Warn"))
    errs.push(
      invalid(
        "spec.validationActions",
        actions,
        "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)",
      ),
    );
  if (spec.paramRef !== undefined && spec.paramRef !== null) {
    const ref = asObj(spec.paramRef);
    if (ref.name && ref.selector)
      errs.push({
        type: "FieldValueForbidden",
        field: "spec.paramRef.name",
        detail: "name and selector are mutually exclusive",
      });
    if (!ref.name && !ref.selector) errs.push(required("spec.paramRef", "one of name or selector must be specified"));
    errs.push(
      ...enumField("spec.paramRef.parameterNotFoundAction", ref.parameterNotFoundAction, PARAM_NOT_FOUND, true),
    );
  }
  errs.push(...validateMatchResources("spec.matchResources", spec.matchResources, false));
  return errs;
}

function defaultMatchResources(value: unknown): void {
  if (value === null || typeof value !== "object") return;
  const m = value as Obj;
  m.namespaceSelector ??= {};
  m.objectSelector ??= {};
  m.matchPolicy ??= "Equivalent";
  for (const rules of [m.resourceRules, m.excludeResourceRules])
    for (const r of asList(rules)) if (r && typeof r === "object") (r as Obj).scope ??= "*";
}

/** SetDefaults_ValidatingAdmissionPolicySpec and the MatchResources defaults. */
export function defaultPolicy(o: KubeObject): void {
  if (!o.spec || typeof o.spec !== "object") return;
  o.spec.failurePolicy ??= "Fail";
  defaultMatchResources(o.spec.matchConstraints);
}

export function defaultBinding(o: KubeObject): void {
  if (!o.spec || typeof o.spec !== "object") return;
  defaultMatchResources(o.spec.matchResources);
}
