// Which requests a ValidatingAdmissionPolicy's matchConstraints (and a binding's matchResources) select,
// as upstream's generic policy matcher decides: resource rules by group, version, resource, operation
// and scope, minus the excluded rules, then the namespace and object label selectors.
import { matchesLabels, requirementsFromLabelSelector } from "../../../kube/labels.ts";
import type { KubeObject, LabelSelector } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { ResourceKind } from "../registry/types.ts";

export interface PolicyRequest {
  kind: ResourceKind;
  operation: "CREATE" | "UPDATE" | "DELETE";
  /** Absent on DELETE. */
  object?: KubeObject;
  oldObject?: KubeObject;
  namespace?: KubeObject;
}

/** The object a request is about: the new one, or on DELETE the one going. */
export function subjectOf(req: PolicyRequest): KubeObject {
  const subject = req.object ?? req.oldObject;
  if (!subject) throw new Error("admission request without an object");
  return subject;
}

interface Rule {
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  resourceNames?: string[];
  operations?: string[];
  scope?: string;
}

interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules?: Rule[];
  excludeResourceRules?: Rule[];
}

const has = (list: string[] | undefined, value: string) => !!list && (list.includes("*") || list.includes(value));

function ruleMatches(rule: Rule, req: PolicyRequest): boolean {
  const scope = rule.scope ?? "*";
  if (scope === "Cluster" && req.kind.namespaced) return false;
  if (scope === "Namespaced" && !req.kind.namespaced) return false;
  const names = rule.resourceNames ?? [];
  if (names.length > 0 && !names.includes(subjectOf(req).metadata.name ?? "")) return false;
  return (
    has(rule.apiGroups, req.kind.group) &&
    has(rule.apiVersions, req.kind.version) &&
    has(rule.resources, req.kind.plural) &&
    has(rule.operations, req.operation)
  );
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return matchesLabels(requirementsFromLabelSelector(selector), labels ?? {});
}

/**
 * matchConstraints or matchResources against the request. A binding without resourceRules narrows by
 * its selectors only; the namespace selector applies to namespaced objects (and to a Namespace itself).
 */
export function matchesResources(m: MatchResources | undefined, req: PolicyRequest, rulesRequired: boolean): boolean {
  if (!m) return true;
  const rules = m.resourceRules ?? [];
  if ((rulesRequired || rules.length > 0) && !rules.some((r) => ruleMatches(r, req))) return false;
  if ((m.excludeResourceRules ?? []).some((r) => ruleMatches(r, req))) return false;
  const isNamespace = req.kind.group === "" && req.kind.kind === "Namespace";
  const nsLabels = isNamespace ? subjectOf(req).metadata.labels : req.namespace?.metadata.labels;
  if ((req.kind.namespaced || isNamespace) && !selects(m.namespaceSelector, nsLabels)) return false;
  return (
    (req.object !== undefined && selects(m.objectSelector, req.object.metadata.labels)) ||
    (req.oldObject !== undefined && selects(m.objectSelector, req.oldObject.metadata.labels))
  );
}

/** The namespace object of a namespaced request (read from the store, as upstream's matcher does). */
export function namespaceOf(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): KubeObject | undefined {
  if (!kind.namespaced || !obj.metadata.namespace) return undefined;
  return ctx.store.get("namespaces", undefined, obj.metadata.namespace)?.object;
}
