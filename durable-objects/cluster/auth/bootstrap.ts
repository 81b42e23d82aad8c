// Writes the bootstrap RBAC policy when a cluster starts, idempotently, as upstream's apiserver does
// (storage_rbac.go's PostStartHook): missing roles and bindings are created; those still marked
// autoupdate get back any bootstrap rule, label or subject taken from them; the aggregated roles are filled
// at once rather than on the controller's first tick.
import { jsonEqual } from "../../../kube/patch/json-values.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { updateObject } from "../writes/update.ts";
import { aggregatedRules, rulesUpToDate } from "../controllers/clusterrole-aggregation-plan.ts";
import { rulesOf, subjectsOf } from "../registry/rbac-validation.ts";
import { AUTOUPDATE, BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from "./bootstrap-policy.ts";
import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES } from "./rbac-authorizer.ts";

const union = <T>(have: T[], want: readonly T[]): T[] => [
  ...have,
  ...want.filter((w) => !have.some((h) => jsonEqual(h, w))),
];

/** The stored object with what bootstrap wants put back (upstream's reconcile with union semantics). */
function reconciled(stored: KubeObject, wanted: KubeObject): KubeObject {
  const next = structuredClone(stored);
  next.metadata.labels = { ...wanted.metadata.labels, ...stored.metadata.labels };
  next.metadata.annotations = { ...wanted.metadata.annotations, ...stored.metadata.annotations };
  if (wanted.kind === "ClusterRole") {
    if (wanted.aggregationRule && !stored.aggregationRule) next.aggregationRule = wanted.aggregationRule;
    if (!wanted.aggregationRule) next.rules = union(rulesOf(stored), rulesOf(wanted));
  } else next.subjects = union(subjectsOf(stored), subjectsOf(wanted));
  return next;
}

function ensure(ctx: ApiContext, resource: string, wanted: KubeObject): void {
  const kind = ctx.kinds.byResource(resource)!;
  const name = wanted.metadata.name!;
  const stored = ctx.store.get(resource, undefined, name)?.object;
  if (!stored) {
    createObject(ctx, kind, undefined, structuredClone(wanted), SYSTEM_WRITE);
    return;
  }
  if (stored.metadata.annotations?.[AUTOUPDATE] !== "true") return;
  const next = reconciled(stored, wanted);
  if (!jsonEqual(next, stored)) updateObject(ctx, kind, { name }, next, SYSTEM_WRITE);
}

export function ensureBootstrapPolicy(ctx: ApiContext): void {
  for (const role of BOOTSTRAP_CLUSTER_ROLES) ensure(ctx, CLUSTER_ROLES, role);
  for (const binding of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) ensure(ctx, CLUSTER_ROLE_BINDINGS, binding);
  // admin aggregates edit, which aggregates view: a few passes reach the fixed point.
  const kind = ctx.kinds.byResource(CLUSTER_ROLES)!;
  for (let pass = 0, changed = true; changed && pass < 8; pass++) {
    changed = false;
    for (const { object: role } of ctx.store.list(CLUSTER_ROLES)) {
      const rules = aggregatedRules(
        role,
        ctx.store.list(CLUSTER_ROLES).map((e) => e.object),
      );
      if (!rules || rulesUpToDate(role, rules)) continue;
      updateObject(ctx, kind, { name: role.metadata.name! }, { ...structuredClone(role), rules }, SYSTEM_WRITE);
      changed = true;
    }
  }
}
