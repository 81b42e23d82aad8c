// The plan's bound on persistent storage: the claims of a cluster together may request at most the plan's
// persistentStorageBytes (upstream's ResourceQuota `requests.storage`, counted over the whole cluster).
// A claim created or grown past it is refused with the quota's 403, as the plan's other limits are.
import type { KubeObject } from "../../../kube/types.ts";
import { PERSISTENT_VOLUME_CLAIMS, storageBytes } from "../registry/storage-common.ts";
import type { ObjectStore } from "../store/object-store.ts";
import { quotaExceeded } from "./errors.ts";
import { type ClusterPlan, DEFAULT_PERSISTENT_STORAGE_BYTES } from "./types.ts";

const UNITS: [bigint, string][] = [
  [1n << 40n, "Ti"],
  [1n << 30n, "Gi"],
  [1n << 20n, "Mi"],
  [1n << 10n, "Ki"],
];

/** Bytes as the largest binary-suffixed quantity that is exact ("10Gi", "1536Mi", "100"). */
export function bytesQuantity(bytes: bigint): string {
  for (const [size, suffix] of UNITS) if (bytes >= size && bytes % size === 0n) return `${bytes / size}${suffix}`;
  return String(bytes);
}

const requested = (claim: KubeObject) => storageBytes(claim.spec?.resources?.requests?.storage);

/** What every claim of the cluster requests. */
export function requestedStorage(store: ObjectStore): bigint {
  let total = 0n;
  for (const { object } of store.list(PERSISTENT_VOLUME_CLAIMS)) total += requested(object);
  return total;
}

/**
 * Throws the plan's 403 when `claim` (new, or replacing `old`) would take the cluster past its storage. As
 * upstream's quota admission, a growth is requested as the difference and used counts the claim as it was.
 */
export function admitStorageQuota(plan: ClusterPlan, store: ObjectStore, claim: KubeObject, old?: KubeObject): void {
  const limit = BigInt(plan.persistentStorageBytes ?? DEFAULT_PERSISTENT_STORAGE_BYTES);
  const delta = requested(claim) - (old ? requested(old) : 0n);
  if (delta <= 0n) return;
  const used = requestedStorage(store);
  if (used + delta <= limit) return;
  throw quotaExceeded(
    plan.name,
    { group: "", resource: PERSISTENT_VOLUME_CLAIMS, name: claim.metadata.name ?? "" },
    {
      counted: "requests.storage",
      requested: bytesQuantity(delta),
      used: bytesQuantity(used),
      limited: bytesQuantity(limit),
    },
  );
}
