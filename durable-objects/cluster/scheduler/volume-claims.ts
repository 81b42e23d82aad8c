// What the scheduler reads and writes of storage: the store's claims, volumes and classes as
// VolumeBinding sees them, and the pre-bind write that hands a WaitForFirstConsumer claim to the
// provisioner: upstream's volume.kubernetes.io/selected-node annotation naming the chosen node.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { ANN_SELECTED_NODE } from "../controllers/pv-binding-plan.ts";
import {
  PERSISTENT_VOLUME_CLAIMS,
  PERSISTENT_VOLUMES,
  podClaims,
  STORAGE_CLASSES,
} from "../registry/storage-common.ts";
import type { StorageView } from "./types.ts";
import { delaysBinding } from "./storage-view.ts";

export function storeStorageView(ctx: ApiContext): StorageView {
  return {
    claim: (namespace, name) => ctx.store.get(PERSISTENT_VOLUME_CLAIMS, namespace, name)?.object,
    volume: (name) => ctx.store.get(PERSISTENT_VOLUMES, undefined, name)?.object,
    storageClass: (name) => ctx.store.get(STORAGE_CLASSES, undefined, name)?.object,
    volumes: () => ctx.store.list(PERSISTENT_VOLUMES).map((e) => e.object),
  };
}

/**
 * PreBind: each unbound delayed claim of the pod gets the chosen node in its selected-node annotation (the
 * PV controller then binds or provisions there). Written like the scheduler's status writes, in the caller's
 * transaction.
 */
export function selectNodeForClaims(ctx: ApiContext, pod: KubeObject, nodeName: string): void {
  const storage = storeStorageView(ctx);
  for (const { name } of podClaims(pod)) {
    const entry = ctx.store.get(PERSISTENT_VOLUME_CLAIMS, pod.metadata.namespace, name);
    const claim = entry?.object;
    if (!claim || claim.spec?.volumeName || !delaysBinding(claim, storage)) continue;
    // A node once chosen stays (VolumeBinding sends the claim's later pods there).
    if (claim.metadata.annotations?.[ANN_SELECTED_NODE]) continue;
    const next = structuredClone(claim);
    next.metadata.annotations = { ...next.metadata.annotations, [ANN_SELECTED_NODE]: nodeName };
    ctx.store.put(PERSISTENT_VOLUME_CLAIMS, next, "MODIFIED");
  }
}
