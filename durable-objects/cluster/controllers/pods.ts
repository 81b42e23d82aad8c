// Pod facts controllers share (upstream's podutil): active, ready, available, and the
// controller reference that makes an object belong to another.
import type { KubeObject, OwnerReference } from "../../../kube/types.ts";

/** FilterActivePods: not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KubeObject): { status?: string; lastTransitionTime?: string } | undefined {
  return (pod.status?.conditions ?? []).find((c: { type?: string }) => c.type === "Ready");
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === "True";
}

/** When the pod became ready (ms), or undefined when it is not ready. */
export function readySince(pod: KubeObject): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== "True") return undefined;
  const at = Date.parse(c.lastTransitionTime ?? "");
  return Number.isNaN(at) ? 0 : at;
}

/** IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  const since = readySince(pod);
  if (since === undefined) return false;
  return minReadySeconds === 0 || since + minReadySeconds * 1000 <= now;
}

/** Milliseconds until a ready pod becomes available, 0 when it is, undefined when not ready. */
export function untilAvailable(pod: KubeObject, minReadySeconds: number, now: number): number | undefined {
  const since = readySince(pod);
  if (since === undefined) return undefined;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** The controller reference an owner puts on what it creates or adopts. */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True when every key/value of `subset` is in `labels`. */
export function labelsContain(labels: Record<string, string> | undefined, subset: Record<string, string> | undefined) {
  const have = labels ?? {};
  return Object.entries(subset ?? {}).every(([k, v]) => have[k] === v);
}
