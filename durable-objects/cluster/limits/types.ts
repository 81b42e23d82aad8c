// What a cluster's plan allows, as the Worker hands it over when it provisions the cluster.
// The object keeps its own copy, so enforcing a limit never needs a trip to D1.

export interface ClusterPlan {
  /** The plan's id (e.g. "playground"); named in quota errors. */
  name: string;
  nodes: number;
  pods: number;
  /** All stored objects of every kind, system ones included. */
  objects: number;
  /** Serialized size of the stored objects. */
  storedBytes: number;
  requestsPerSecond: number;
  /** Requests per second to the cluster's published Services (the public URL), apart from the API's. */
  publicRequestsPerSecond: number;
  /** The largest request body the public URL takes. */
  publicBodyBytes: number;
  /** A cluster unused this long is deleted by its own alarm; 0 keeps it forever. */
  idleTtlSeconds: number;
  /** What the cluster's PersistentVolumeClaims may request together (DEFAULT_PERSISTENT_STORAGE_BYTES when absent). */
  persistentStorageBytes?: number;
}

/** The storage claims may request in a cluster whose plan does not say (plans in D1 carry no column for it yet). */
export const DEFAULT_PERSISTENT_STORAGE_BYTES = 20 * 1024 ** 3;

export interface ClusterUsage {
  nodes: number;
  pods: number;
  objects: number;
  storedBytes: number;
}

/** Fields a plan must carry, with their smallest allowed value: checked when a cluster is provisioned. */
const MINIMUMS: Record<Exclude<keyof ClusterPlan, "name" | "persistentStorageBytes">, number> = {
  nodes: 0,
  pods: 0,
  objects: 0,
  storedBytes: 0,
  requestsPerSecond: 1,
  publicRequestsPerSecond: 1,
  publicBodyBytes: 0,
  idleTtlSeconds: 0,
};

/** Public limits of a plan stored before they existed (the playground plan's values). */
export const DEFAULT_PUBLIC_LIMITS: Readonly<Pick<ClusterPlan, "publicRequestsPerSecond" | "publicBodyBytes">> = {
  publicRequestsPerSecond: 20,
  publicBodyBytes: 1024 * 1024,
};

/** A stored plan with the fields added since it was written filled in, so old clusters keep working. */
export function withPlanDefaults(plan: ClusterPlan): ClusterPlan {
  return { ...DEFAULT_PUBLIC_LIMITS, ...plan };
}

export function isClusterPlan(value: unknown): value is ClusterPlan {
  if (typeof value !== "object" || value === null) return false;
  const plan = value as Record<string, unknown>;
  if (typeof plan.name !== "string" || !plan.name) return false;
  const storage = plan.persistentStorageBytes;
  if (storage !== undefined && !(Number.isSafeInteger(storage) && (storage as number) >= 0)) return false;
  return Object.entries(MINIMUMS).every(
    ([field, min]) => Number.isSafeInteger(plan[field]) && (plan[field] as number) >= min,
  );
}
