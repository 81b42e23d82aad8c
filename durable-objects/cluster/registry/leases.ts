// coordination.k8s.io/v1 Lease (ValidateLease). Node heartbeats in kube-node-lease are served
// from the store's plain table; this describes the kind itself.
import { type FieldError, invalid, notSupported, forbidden } from "../../../kube/field-errors.ts";
import { isQualifiedName } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { ageColumn, column } from "./columns.ts";
import type { ResourceKind } from "./types.ts";

const STRATEGIES = ["OldestEmulationVersion"];

function strategyErrors(strategy: string): FieldError[] {
  // Upstream appends "strategy" to a path that already ends in it; kept for identical messages.
  const field = "spec.strategy.strategy";
  if (!strategy.includes("/")) return STRATEGIES.includes(strategy) ? [] : [notSupported(field, strategy, STRATEGIES)];
  return isQualifiedName(strategy).map((msg) => invalid(field, strategy, msg));
}

function validateLease(o: KubeObject): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === "number" && spec.leaseDurationSeconds <= 0)
    errs.push(invalid("spec.leaseDurationSeconds", spec.leaseDurationSeconds, "must be greater than 0"));
  if (typeof spec.leaseTransitions === "number" && spec.leaseTransitions < 0)
    errs.push(invalid("spec.leaseTransitions", spec.leaseTransitions, "must be greater than or equal to 0"));
  if (typeof spec.strategy === "string") errs.push(...strategyErrors(spec.strategy));
  if (spec.preferredHolder && !spec.strategy)
    errs.push(forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"));
  return errs;
}

const NODE_LEASE_NAMESPACE = "kube-node-lease";

/** The node leases come from the heartbeat table (ctx.nodeLeases), never from the store. */
function nodeLeases(ctx: ApiContext, namespace: string | undefined): KubeObject[] {
  if (!ctx.nodeLeases || (namespace !== undefined && namespace !== NODE_LEASE_NAMESPACE)) return [];
  return ctx.nodeLeases();
}

export const leases: ResourceKind = {
  group: "coordination.k8s.io",
  version: "v1",
  kind: "Lease",
  plural: "leases",
  singular: "lease",
  namespaced: true,
  nameRule: "subdomain",
  columns: [
    column(
      "Holder",
      "string",
      "holderIdentity contains the identity of the holder of a current lease.",
      (o) => o.spec?.holderIdentity ?? "",
    ),
    ageColumn,
  ],
  validate: validateLease,
  unstoredObjects: nodeLeases,
};
