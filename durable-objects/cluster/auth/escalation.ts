// RBAC escalation prevention (pkg/registry/rbac/*/policybased): a user may write a Role or ClusterRole only
// with rules it holds itself (or with `escalate` on it), and a binding only to a role whose rules it holds
// (or with `bind` on it). system:masters is exempt, as upstream. Internal writes (bootstrap, controllers)
// carry no user and are not checked.
import { notFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { UserInfo } from "../../../kube/user-info.ts";
import type { ApiContext } from "../context.ts";
import { resourceId } from "../registry/lookup.ts";
import { type PolicyRule, RBAC_GROUP, roleRefOf, rulesOf } from "../registry/rbac-validation.ts";
import type { ResourceKind } from "../registry/types.ts";
import { forbiddenFor } from "./forbidden.ts";
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, ROLE_BINDINGS, ROLES, type RbacAuthorizer } from "./rbac-authorizer.ts";
import type { RequestAttributes } from "./request-info.ts";
import { compactRules, compactString, goQuotedList, uncovered } from "./rule-covers.ts";

const MASTERS = "system:masters";
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
  { verbs: ["*"], nonResourceURLs: ["*"] },
];

/** Metadata a garbage collector changes; an update changing only these is never an escalation. */
function withoutGcFields(o: KubeObject): unknown {
  const { ownerReferences, finalizers, managedFields, resourceVersion, generation, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

function allowed(rbac: RbacAuthorizer, user: UserInfo, verb: string, kind: ResourceKind, name: string, ns: string) {
  const attrs: RequestAttributes = {
    user,
    verb,
    resourceRequest: true,
    path: "",
    apiGroup: RBAC_GROUP,
    apiVersion: "*",
    resource: kind.plural,
    subresource: "",
    name,
    namespace: ns,
  };
  return rbac.authorize(attrs).allowed;
}

/** ConfirmNoEscalation's error text, or undefined when the user holds every rule. */
function escalation(rbac: RbacAuthorizer, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const owned = rbac.rulesFor(user, namespace);
  const missing = uncovered(owned.rules, rules);
  if (missing.length === 0) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user "${user.username}" (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join("\n")}`;
  if (owned.errors.length) msg += `; resolution errors: [${owned.errors.join(" ")}]`;
  return msg;
}

/** The rules a binding's roleRef grants (GetRoleReferenceRules); a missing role is a 404. */
function referencedRules(ctx: ApiContext, binding: KubeObject): PolicyRule[] {
  const ref = roleRefOf(binding);
  const ns = binding.metadata.namespace;
  const entry =
    ref.kind === "ClusterRole"
      ? ctx.store.get(CLUSTER_ROLES, undefined, ref.name ?? "")
      : ctx.store.get(ROLES, ns, ref.name ?? "");
  if (!entry) throw notFound(RBAC_GROUP, ref.kind === "ClusterRole" ? "clusterrole" : "role", ref.name ?? "");
  return rulesOf(entry.object);
}

/** Refuses (403, upstream's wording) a create or update of an RBAC object that would escalate `user`. */
export function checkEscalation(
  ctx: ApiContext,
  kind: ResourceKind,
  obj: KubeObject,
  old: KubeObject | undefined,
  user: UserInfo | undefined,
): void {
  const rbac = ctx.rbac;
  const resource = resourceId(kind);
  if (!rbac || !user || user.groups.includes(MASTERS)) return;
  if (![ROLES, CLUSTER_ROLES, ROLE_BINDINGS, CLUSTER_ROLE_BINDINGS].includes(resource)) return;
  if (old && JSON.stringify(withoutGcFields(obj)) === JSON.stringify(withoutGcFields(old))) return;
  const name = obj.metadata.name ?? "";
  const ns = obj.metadata.namespace ?? "";
  const refuse = (why: string) => forbiddenFor(kind.group, kind.plural, name, why);
  if (resource === ROLES || resource === CLUSTER_ROLES) {
    if (allowed(rbac, user, "escalate", kind, name, ns)) return;
    const why = escalation(rbac, user, ns, rulesOf(obj));
    if (why) throw refuse(why);
    const aggregation =
      obj.aggregationRule != null && JSON.stringify(obj.aggregationRule) !== JSON.stringify(old?.aggregationRule);
    if (aggregation && escalation(rbac, user, ns, FULL_AUTHORITY))
      throw refuse("must have cluster-admin privileges to use the aggregationRule");
    return;
  }
  const ref = roleRefOf(obj);
  const refKind = ctx.kinds.byResource(ref.kind === "ClusterRole" ? CLUSTER_ROLES : ROLES);
  if (refKind && allowed(rbac, user, "bind", refKind, ref.name ?? "", ns)) return;
  const why = escalation(rbac, user, ns, referencedRules(ctx, obj));
  if (why) throw refuse(why);
}
