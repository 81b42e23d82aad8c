// The namespace-policy admission plugins in upstream's order: mutating ones after the kind's defaults
// (LimitRanger fills default requests and limits, DefaultIngressClass names the default class), validating ones after the kind's own validation
// (LimitRanger's bounds, then ResourceQuota), on creates and updates of the main resource alike.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../api/context.ts";
import type { ResourceKind } from "../registry/types.ts";
import { admitDefaultIngressClass } from "./default-ingress-class.ts";
import { defaultLimitRanges, enforceLimitRanges } from "./limit-ranger.ts";
import { admitPodSecurity } from "./pod-security.ts";
import { admitResourceQuota } from "./resource-quota.ts";

/** Mutating admission of a create (updates keep what the object has). */
export function mutateOnCreate(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  defaultLimitRanges(ctx, kind, obj);
  admitDefaultIngressClass(ctx, kind, obj);
}

/**
 * Validating admission: throws a Forbidden Status, and the write does not happen; `warnings` collects
 * what admitted writes are warned about.
 */
export function validateAdmission(
  ctx: ApiContext,
  kind: ResourceKind,
  obj: KubeObject,
  old?: KubeObject,
  warnings: string[] = [],
): void {
  admitPodSecurity(ctx, kind, obj, old, warnings);
  enforceLimitRanges(ctx, kind, obj, old);
  admitResourceQuota(ctx, kind, obj, old);
}
