// The kube-node-lease Lease objects, built at read time from the heartbeat table (renewals are
// never stored as objects, so they cost no revision and no change-log entry).
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { type LeaseRow, leaseObject } from "./heartbeat.ts";

/**
 * One Lease per node that still exists. Its uid and creation time are the node's (the lease is
 * born with the node), its resourceVersion the node's: a renewal alone moves no revision.
 */
export function nodeLeaseObjects(ctx: ApiContext, rows: readonly LeaseRow[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const row of rows) {
    const node = ctx.store.get("nodes", undefined, row.node)?.object;
    if (!node) continue;
    const lease = leaseObject(row, node.metadata.uid) as KubeObject;
    lease.metadata = {
      ...lease.metadata,
      uid: node.metadata.uid,
      resourceVersion: node.metadata.resourceVersion,
      creationTimestamp: node.metadata.creationTimestamp,
    };
    out.push(lease);
  }
  return out;
}
