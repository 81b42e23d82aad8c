// The storage side of sync: where each of a pod's claims lives on its node (the bound volume's directory),
// and which of the built-in provisioner's volumes a node keeps. A pod whose claims are not all bound is held
// back from its agent until they are (the kubelet likewise waits for its volumes before starting containers).
import type { ClaimVolume } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ANN_PROVISIONED_BY, provisionedNodeOf } from "../controllers/pv-binding-plan.ts";
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, podClaims } from "../registry/storage-common.ts";
import { LOCAL_PATH_PROVISIONER } from "../registry/storageclasses.ts";
import type { ObjectStore } from "../store/object-store.ts";

const isProvisioned = (pv: KubeObject) => pv.metadata.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER;

/** A bound volume as the node mounts it: a local or hostPath directory; other kinds cannot be served. */
export function volumeOnNode(claimName: string, pv: KubeObject): ClaimVolume {
  const base = { claimName, volumeName: pv.metadata.name ?? "", provisioned: isProvisioned(pv) };
  if (pv.spec?.local?.path) return { ...base, path: String(pv.spec.local.path) };
  if (pv.spec?.hostPath?.path)
    return {
      ...base,
      path: String(pv.spec.hostPath.path),
      ...(pv.spec.hostPath.type ? { hostPathType: String(pv.spec.hostPath.type) } : {}),
    };
  return { ...base, path: "", unsupported: "only local and hostPath persistent volumes can be mounted on this node" };
}

/** Pod volume name → its claim's volume; undefined while a claim is missing or not Bound, or its volume is gone. */
export function claimVolumes(store: ObjectStore, pod: KubeObject): Record<string, ClaimVolume> | undefined {
  const namespace = pod.metadata.namespace ?? "default";
  const found: Record<string, ClaimVolume> = {};
  for (const { name, volume } of podClaims(pod)) {
    const claim = store.get(PERSISTENT_VOLUME_CLAIMS, namespace, name)?.object;
    const volumeName = claim?.spec?.volumeName;
    if (!volumeName || claim.status?.phase !== "Bound") return undefined;
    const pv = store.get(PERSISTENT_VOLUMES, undefined, volumeName)?.object;
    if (!pv) return undefined;
    found[volume] = volumeOnNode(name, pv);
  }
  return found;
}

/** The directories of the built-in provisioner's volumes that live on the node, and those with reclaim Retain. */
export function nodeVolumeDirs(store: ObjectStore, nodeName: string): { volumes: string[]; retainedVolumes: string[] } {
  const volumes: string[] = [];
  const retainedVolumes: string[] = [];
  for (const { object: pv } of store.list(PERSISTENT_VOLUMES)) {
    if (!isProvisioned(pv) || !pv.spec?.local?.path || provisionedNodeOf(pv) !== nodeName) continue;
    volumes.push(pv.spec.local.path);
    if (pv.spec.persistentVolumeReclaimPolicy === "Retain") retainedVolumes.push(pv.spec.local.path);
  }
  return { volumes, retainedVolumes };
}

/** A claim that just became Bound (its pods may go to their agents now). */
export function claimJustBound(object: KubeObject, previous: KubeObject | undefined): boolean {
  return object.status?.phase === "Bound" && previous?.status?.phase !== "Bound";
}
