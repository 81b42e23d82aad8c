// Upstream's storage admission plugins: DefaultStorageClass (a claim that names no class gets the
// default one), StorageObjectInUseProtection (new volumes and claims carry the protection finalizers
// the PV controller's protection loops remove) and PersistentVolumeClaimResize (a claim may grow only
// when bound and its class allows expansion).
import { forbidden } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import {
  BETA_CLASS_ANNOTATION,
  classOf,
  isDefaultClass,
  PERSISTENT_VOLUME_CLAIMS,
  PERSISTENT_VOLUMES,
  STORAGE_CLASSES,
  storageBytes,
} from "../registry/storage-common.ts";
import type { ResourceKind } from "../registry/types.ts";
import { guardOf } from "../limits/hooks.ts";
import { admitStorageQuota } from "../limits/storage-quota.ts";
import type { ApiContext } from "../context.ts";

export const PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";
export const PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";

const PROTECTION: Record<string, string> = {
  [PERSISTENT_VOLUMES]: PV_PROTECTION_FINALIZER,
  [PERSISTENT_VOLUME_CLAIMS]: PVC_PROTECTION_FINALIZER,
};

/** storageutil.GetDefaultClass: of several default classes the newest wins (then the name). */
export function defaultStorageClass(ctx: ApiContext): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const e of ctx.store.list(STORAGE_CLASSES)) {
    const sc = e.object;
    if (!isDefaultClass(sc)) continue;
    const a = sc.metadata.creationTimestamp ?? "";
    const b = best?.metadata.creationTimestamp ?? "";
    if (!best || a > b || (a === b && (sc.metadata.name ?? "") < (best.metadata.name ?? ""))) best = sc;
  }
  return best;
}

/** On create of a volume or claim, before validation. */
export function admitStorageCreate(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  const resource = resourceId(kind);
  const finalizer = PROTECTION[resource];
  if (!finalizer) return;
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
  if (resource !== PERSISTENT_VOLUME_CLAIMS) return;
  obj.spec ??= {};
  admitPlanStorage(ctx, obj);
  const named = obj.spec.storageClassName !== undefined && obj.spec.storageClassName !== null;
  if (named || obj.metadata.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
  const def = defaultStorageClass(ctx);
  if (def) obj.spec.storageClassName = def.metadata.name;
}

/** The plan's bound on what the cluster's claims request together (create and growth). */
function admitPlanStorage(ctx: ApiContext, claim: KubeObject, old?: KubeObject): void {
  const plan = guardOf(ctx)?.plan;
  if (plan) admitStorageQuota(plan, ctx.store, claim, old);
}

/** On update of a claim, after validation: growth needs a bound claim of a class that allows it. */
export function admitClaimResize(ctx: ApiContext, kind: ResourceKind, next: KubeObject, old: KubeObject): void {
  if (resourceId(kind) !== PERSISTENT_VOLUME_CLAIMS) return;
  const grown =
    storageBytes(next.spec?.resources?.requests?.storage) > storageBytes(old.spec?.resources?.requests?.storage);
  if (!grown) return;
  const deny = (message: string) =>
    forbidden(`persistentvolumeclaims "${old.metadata.name}" is forbidden: ${message}`, {
      name: old.metadata.name,
      kind: "persistentvolumeclaims",
    });
  if (old.status?.phase !== "Bound") throw deny("Only bound persistent volume claims can be expanded");
  const className = classOf(old);
  const sc = className ? ctx.store.get(STORAGE_CLASSES, undefined, className)?.object : undefined;
  if (sc?.allowVolumeExpansion !== true)
    throw deny(
      "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
    );
  admitPlanStorage(ctx, next, old);
}
