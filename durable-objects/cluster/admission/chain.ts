// The admission plugins in upstream's order. Those that fill fields a kind's defaults would otherwise
// fill run before the defaults (Priority, DefaultTolerationSeconds, ServiceAccount, DefaultStorageClass and
// StorageObjectInUseProtection); the namespace-policy mutators after them (LimitRanger fills default
// requests and limits) and DefaultIngressClass; the validating ones after the kind's own validation
// (LimitRanger's bounds, PersistentVolumeClaimResize, ValidatingAdmissionPolicy, then ResourceQuota), on
// creates and updates of the main resource alike.
import type { KubeObject } from "../../../kube/types.ts";
import type { UserInfo } from "../../../kube/user-info.ts";
import type { ApiContext } from "../context.ts";
import type { ResourceKind } from "../registry/types.ts";
import { admitDefaultIngressClass } from "./default-ingress-class.ts";
import { admitDefaultTolerationSeconds } from "./default-toleration-seconds.ts";
import { defaultLimitRanges, enforceLimitRanges } from "./limit-ranger.ts";
import { admitPodSecurity } from "./pod-security.ts";
import { admitPodPriority } from "./priority.ts";
import { admitResourceQuota } from "./resource-quota.ts";
import { admitServiceAccount } from "./service-account.ts";
import { admitClaimResize, admitStorageCreate } from "./storage.ts";
import { admitValidatingPolicies, admitValidatingPoliciesOnDelete } from "./validating-policy.ts";

/** Mutating admission of a create that runs before the kind's own defaults. */
export function admitBeforeDefaults(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  admitPodPriority(ctx, kind, obj);
  admitDefaultTolerationSeconds(ctx, kind, obj);
  admitServiceAccount(ctx, kind, obj);
  admitStorageCreate(ctx, kind, obj);
}

/** Mutating admission of a create after the kind's defaults (updates keep what the object has). */
export function mutateOnCreate(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  defaultLimitRanges(ctx, kind, obj);
  admitDefaultIngressClass(ctx, kind, obj);
}

/**
 * Validating admission: throws a Status (Forbidden, or the code a policy's reason says), and the write does
 * not happen; `warnings` collects what admitted writes are warned about; `user` is who asks (policies read it).
 */
export function validateAdmission(
  ctx: ApiContext,
  kind: ResourceKind,
  obj: KubeObject,
  old?: KubeObject,
  warnings: string[] = [],
  user?: UserInfo,
): void {
  admitPodSecurity(ctx, kind, obj, old, warnings);
  enforceLimitRanges(ctx, kind, obj, old);
  if (old) admitClaimResize(ctx, kind, obj, old);
  admitValidatingPolicies(ctx, kind, obj, old, warnings, user);
  admitResourceQuota(ctx, kind, obj, old);
}

/** Validating admission of a delete, after the kind's own delete admission: throws a Status to refuse it. */
export function validateDeleteAdmission(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, user?: UserInfo): void {
  admitValidatingPoliciesOnDelete(ctx, kind, obj, user);
}
