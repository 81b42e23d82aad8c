// Reads of a kind with objects outside the store (the node leases of kube-node-lease, built from the
// heartbeat table): its unstoredObjects merged into gets and lists. Watches see stored objects only.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { objectKey } from "../store/keys.ts";
import type { StoredEntry } from "../store/object-store.ts";

function entry(resource: string, obj: KubeObject): StoredEntry {
  const key = objectKey(resource, obj.metadata.namespace, obj.metadata.name!);
  return { key, resource, object: obj, json: JSON.stringify(obj), revision: 0 };
}

function unstoredEntries(ctx: ApiContext, kind: ResourceKind, namespace: string | undefined): StoredEntry[] {
  if (!kind.unstoredObjects) return [];
  const resource = resourceId(kind);
  return kind.unstoredObjects(ctx, namespace).map((obj) => entry(resource, obj));
}

/** The stored entries with the unstored objects merged in, in key order; an unstored one wins over a stored one. */
export function withUnstored(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  stored: readonly StoredEntry[],
): readonly StoredEntry[] {
  const extra = unstoredEntries(ctx, kind, namespace);
  if (extra.length === 0) return stored;
  const keys = new Set(extra.map((e) => e.key));
  return [...stored.filter((e) => !keys.has(e.key)), ...extra].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}

/** The unstored object `name` when the read is for one, else undefined. */
export function unstoredEntry(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): StoredEntry | undefined {
  return unstoredEntries(ctx, kind, namespace).find(
    (e) => e.object.metadata.name === name && e.object.metadata.namespace === namespace,
  );
}
