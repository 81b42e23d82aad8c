// What the protection controllers decide (pkg/controller/volume/pvcprotection and pvprotection): a claim
// being deleted keeps its finalizer while a scheduled, unfinished pod uses it; a volume being deleted keeps
// its finalizer while it is Bound.
import type { KubeObject } from "../../../kube/types.ts";
import { podClaims } from "../registry/storage-common.ts";

const finished = (pod: KubeObject) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** The names of the claims a pod uses. */
export const claimsOfPod = (pod: KubeObject): string[] => podClaims(pod).map((c) => c.name);

/** podUsesPVC over the claim's namespace: only pods already on a node count (the kubelet refuses new ones). */
export function claimInUse(claim: KubeObject, pods: readonly KubeObject[]): boolean {
  return pods.some(
    (p) =>
      p.metadata.namespace === claim.metadata.namespace &&
      Boolean(p.spec?.nodeName) &&
      !finished(p) &&
      claimsOfPod(p).includes(claim.metadata.name ?? ""),
  );
}

/** pvprotection's isInUse: a Bound volume is still in use. */
export const volumeInUse = (volume: KubeObject) => volume.status?.phase === "Bound";

/** The object without `finalizer`, or undefined when it does not carry it. */
export function withoutFinalizer(obj: KubeObject, finalizer: string): KubeObject | undefined {
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return undefined;
  const next = structuredClone(obj);
  next.metadata.finalizers = finalizers.filter((f) => f !== finalizer);
  if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
  return next;
}
