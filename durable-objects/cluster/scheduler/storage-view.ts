// The storage VolumeBinding reads, without the store (the cache and plugins also run outside the object,
// in benchmarks): an empty view, and whether a claim's class delays its binding.
import type { KubeObject } from "../../../kube/types.ts";
import { classOf } from "../registry/storage-common.ts";
import type { StorageView } from "./types.ts";

export const NO_STORAGE: StorageView = {
  claim: () => undefined,
  volume: () => undefined,
  storageClass: () => undefined,
  volumes: () => [],
};

/** Whether a claim waits for its first consumer (its class binds WaitForFirstConsumer). */
export function delaysBinding(claim: KubeObject, storage: StorageView): boolean {
  const name = classOf(claim);
  return Boolean(name) && storage.storageClass(name)?.volumeBindingMode === "WaitForFirstConsumer";
}
