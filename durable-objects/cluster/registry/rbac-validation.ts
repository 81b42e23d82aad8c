// Validation of the rbac.authorization.k8s.io/v1 kinds, as pkg/apis/rbac/validation has it (field paths
// and messages upstream's), and their defaulting (pkg/apis/rbac/v1/defaults.go).
import { type FieldError, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1123Subdomain, isPathSegmentName } from "../../../kube/names.ts";
import type { KubeObject, LabelSelector } from "../../../kube/types.ts";
import { validateLabelSelector } from "./workload-validation.ts";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind?: string;
  apiGroup?: string;
  name?: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind?: string;
  name?: string;
}

export const rulesOf = (o: KubeObject): PolicyRule[] => (Array.isArray(o.rules) ? (o.rules as PolicyRule[]) : []);
export const subjectsOf = (o: KubeObject): Subject[] => (Array.isArray(o.subjects) ? (o.subjects as Subject[]) : []);
export const roleRefOf = (o: KubeObject): RoleRef => (o.roleRef ?? {}) as RoleRef;

const count = (list: unknown[] | undefined) => list?.length ?? 0;

/** ValidatePolicyRule. */
function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (count(rule.verbs) === 0) errs.push(required(`${path}.verbs`, "verbs must contain at least one value"));
  if (count(rule.nonResourceURLs) > 0) {
    if (namespaced)
      errs.push(
        invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, "namespaced rules cannot apply to non-resource URLs"),
      );
    if (count(rule.apiGroups) > 0 || count(rule.resources) > 0 || count(rule.resourceNames) > 0)
      errs.push(
        invalid(
          `${path}.nonResourceURLs`,
          rule.nonResourceURLs,
          "rules cannot apply to both regular resources and non-resource URLs",
        ),
      );
    return errs;
  }
  if (count(rule.apiGroups) === 0)
    errs.push(required(`${path}.apiGroups`, "resource rules must supply at least one api group"));
  if (count(rule.resources) === 0)
    errs.push(required(`${path}.resources`, "resource rules must supply at least one resource"));
  return errs;
}

export const validateRules = (o: KubeObject, namespaced: boolean): FieldError[] =>
  rulesOf(o).flatMap((r, i) => validatePolicyRule(r, namespaced, `rules[${i}]`));

/** The aggregationRule part of ValidateClusterRole. */
export function validateAggregationRule(o: KubeObject): FieldError[] {
  const rule = o.aggregationRule as { clusterRoleSelectors?: LabelSelector[] } | undefined | null;
  if (rule == null) return [];
  const selectors = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0)
    return [
      required(
        "aggregationRule.clusterRoleSelectors",
        "at least one clusterRoleSelector required if aggregationRule is non-nil",
      ),
    ];
  return selectors.flatMap((s, i) => validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`));
}

/** ValidateRoleBindingSubject. */
function validateSubject(s: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(`${path}.name`));
  switch (s.kind) {
    case "ServiceAccount":
      if (s.name) for (const msg of isDNS1123Subdomain(s.name)) errs.push(invalid(`${path}.name`, s.name, msg));
      if (s.apiGroup) errs.push(notSupported(`${path}.apiGroup`, s.apiGroup, [""]));
      if (!namespaced && !s.namespace) errs.push(required(`${path}.namespace`));
      break;
    case "User":
    case "Group":
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, s.apiGroup ?? "", [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, s.kind ?? "", ["ServiceAccount", "User", "Group"]));
  }
  return errs;
}

/** ValidateRoleBinding / ValidateClusterRoleBinding: roleRef and subjects. */
export function validateBinding(o: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = roleRefOf(o);
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported("roleRef.apiGroup", ref.apiGroup ?? "", [RBAC_GROUP]));
  const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
  if (!kinds.includes(ref.kind ?? "")) errs.push(notSupported("roleRef.kind", ref.kind ?? "", kinds));
  if (!ref.name) errs.push(required("roleRef.name"));
  else for (const msg of isPathSegmentName(ref.name)) errs.push(invalid("roleRef.name", ref.name, msg));
  for (const [i, s] of subjectsOf(o).entries()) errs.push(...validateSubject(s, namespaced, `subjects[${i}]`));
  return errs;
}

/** ValidateRoleBindingUpdate: the role a binding grants never changes (delete and recreate instead). */
export function validateRoleRefUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const a = roleRefOf(o);
  const b = roleRefOf(old);
  const same = a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name;
  return same ? [] : [invalid("roleRef", a, "cannot change roleRef")];
}

/** SetDefaults_Subject and the roleRef apiGroup default of SetDefaults_(Cluster)RoleBinding. */
export function defaultBinding(o: KubeObject): void {
  const ref = o.roleRef as RoleRef | undefined;
  if (ref && typeof ref === "object" && !ref.apiGroup) ref.apiGroup = RBAC_GROUP;
  for (const s of subjectsOf(o)) {
    if (!s || typeof s !== "object" || s.apiGroup) continue;
    if (s.kind === "User" || s.kind === "Group") s.apiGroup = RBAC_GROUP;
  }
}
