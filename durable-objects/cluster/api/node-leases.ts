// Reads of coordination.k8s.io Leases include the node leases of kube-node-lease, which come from
// the heartbeat table through ctx.nodeLeases rather than the store. Watches see stored leases only.
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { objectKey } from "../store/keys.ts";
import type { StoredEntry } from "../store/object-store.ts";
import type { ApiContext } from "../context.ts";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";
const LEASES = "leases.coordination.k8s.io";

function entry(obj: KubeObject): StoredEntry {
  const key = objectKey(LEASES, NODE_LEASE_NAMESPACE, obj.metadata.name!);
  return { key, resource: LEASES, object: obj, json: JSON.stringify(obj), revision: 0 };
}

function nodeLeaseEntries(ctx: ApiContext, kind: ResourceKind, namespace: string | undefined): StoredEntry[] {
  if (!ctx.nodeLeases || resourceId(kind) !== LEASES) return [];
  if (namespace !== undefined && namespace !== NODE_LEASE_NAMESPACE) return [];
  return ctx.nodeLeases().map(entry);
}

/** The stored entries with the node leases merged in, in key order; a node lease wins over a stored one. */
export function withNodeLeases(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  stored: readonly StoredEntry[],
): readonly StoredEntry[] {
  const leases = nodeLeaseEntries(ctx, kind, namespace);
  if (leases.length === 0) return stored;
  const keys = new Set(leases.map((e) => e.key));
  return [...stored.filter((e) => !keys.has(e.key)), ...leases].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}

/** The node lease `name` when the read is for one, else undefined. */
export function nodeLeaseEntry(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): StoredEntry | undefined {
  if (namespace !== NODE_LEASE_NAMESPACE) return undefined;
  return nodeLeaseEntries(ctx, kind, namespace).find((e) => e.object.metadata.name === name);
}
