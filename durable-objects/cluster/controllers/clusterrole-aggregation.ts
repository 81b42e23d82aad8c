// The ClusterRole aggregation controller (upstream pkg/controller/clusterroleaggregation): a ClusterRole
// with an aggregationRule holds the union of the rules of the ClusterRoles it selects, kept current as
// any ClusterRole changes (so a CRD's role labelled aggregate-to-view extends `view`).
import type { ApiContext } from "../context.ts";
import { CLUSTER_ROLES } from "../auth/rbac-authorizer.ts";
import type { Change } from "../store/object-store.ts";
import { aggregatedRules, rulesUpToDate, selectorsOf } from "./clusterrole-aggregation-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const CLUSTERROLE_AGGREGATION_CONTROLLER = "clusterrole-aggregation-controller";

export class ClusterRoleAggregationController implements Controller {
  readonly name = CLUSTERROLE_AGGREGATION_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, CLUSTERROLE_AGGREGATION_CONTROLLER);
  }

  /** Any ClusterRole's change may change what an aggregating one selects: all of those look again. */
  keysFor(change: Change): string[] {
    return change.entry.resource === CLUSTER_ROLES ? this.initialKeys() : [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store
      .list(CLUSTER_ROLES)
      .filter((e) => selectorsOf(e.object))
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const role = this.#w.entry(key)?.object;
    if (!role || role.metadata.deletionTimestamp) return undefined;
    const all = this.#w.ctx.store.list(CLUSTER_ROLES).map((e) => e.object);
    const rules = aggregatedRules(role, all);
    if (!rules || rulesUpToDate(role, rules)) return undefined;
    this.#w.update(CLUSTER_ROLES, role, { ...structuredClone(role), rules });
    return undefined;
  }
}
