// Heartbeat arithmetic, pure: the sync interval the object hands out (lengthened as the cluster grows so
// cluster-wide syncs stay near a constant rate, as Nomad does), the lease duration derived from it, and
// which nodes have gone quiet for longer than the grace period.

export const BASE_HEARTBEAT_SECONDS = 10;
/**
 * Cluster-wide syncs per second the interval aims to stay under once clusters are large: 5,000 nodes keep
 * the 10 s interval (issue 22; an idle sync on the node's tunnel costs well under a millisecond of workerd
 * CPU), larger clusters stretch it.
 */
export const TARGET_SYNCS_PER_SECOND = 500;
/** upstream's kubelet lease duration (40 s); the node controller's grace period matches it. */
export const BASE_LEASE_SECONDS = 40;

export function heartbeatSeconds(nodeCount: number): number {
  return Math.max(BASE_HEARTBEAT_SECONDS, Math.ceil(nodeCount / TARGET_SYNCS_PER_SECOND));
}

/** Four missed heartbeats make a lease expire, never less than upstream's 40 s. */
export function leaseSeconds(heartbeat: number): number {
  return Math.max(BASE_LEASE_SECONDS, 4 * heartbeat);
}

export interface LeaseRow {
  node: string;
  renewTime: number;
  durationSeconds: number;
}

/** upstream's node-monitor-grace-period (50 s since 1.32): how long a silent node stays Ready. */
export const NODE_MONITOR_GRACE_MS = 50_000;

/**
 * When a lease's node counts as silent: the grace period after its last renewal, as upstream's node
 * controller judges it (without a grace period, the lease's duration). Never sooner than two heartbeats
 * (half the lease), so a short per-cluster grace cannot flag live nodes whose interval grew with the cluster.
 */
export const leaseDeadline = (row: LeaseRow, graceMs = 0) =>
  row.renewTime + (graceMs > 0 ? Math.max(graceMs, row.durationSeconds * 500) : row.durationSeconds * 1000);

/** Nodes whose lease ran out at `now` (and `graceMs` passed): their Ready condition should turn Unknown. */
export function expiredLeases(rows: readonly LeaseRow[], now: number, graceMs = 0): string[] {
  return rows.filter((r) => now > leaseDeadline(r, graceMs)).map((r) => r.node);
}

/** metav1.MicroTime text, as Lease.spec.renewTime carries it. */
export const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

/** The kube-node-lease Lease object for one node's heartbeat row (served from the table, never stored). */
export function leaseObject(row: LeaseRow, nodeUid?: string) {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: row.node,
      namespace: "kube-node-lease",
      ...(nodeUid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: row.node, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: row.node, leaseDurationSeconds: row.durationSeconds, renewTime: microTime(row.renewTime) },
  };
}
