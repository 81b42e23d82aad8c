// Deleting a namespace: it turns Terminating at once (no new content is admitted), its
// contents are deleted, and it goes when the last object in it has gone — as upstream's
// namespace controller does, but driven by the deletions themselves.
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { deleteObject } from "./delete.ts";
import { SYSTEM_WRITE } from "./options.ts";

function isTerminating(ns: KubeObject): boolean {
  return ns.metadata.deletionTimestamp !== undefined;
}

export function beginNamespaceDeletion(ctx: ApiContext, ns: KubeObject): KubeObject {
  const name = ns.metadata.name!;
  if (!isTerminating(ns)) {
    const next = structuredClone(ns);
    next.metadata.deletionTimestamp = timestamp(ctx.now());
    next.metadata.deletionGracePeriodSeconds = 0;
    next.status = { ...(next.status ?? {}), phase: "Terminating" };
    ctx.store.put("namespaces", next, "MODIFIED");
  }
  for (const kind of ctx.kinds.all) {
    if (!kind.namespaced) continue;
    for (const entry of ctx.store.list(resourceId(kind), name)) {
      if (entry.object.metadata.deletionTimestamp) continue;
      deleteObject(ctx, kind, name, entry.object.metadata.name!, SYSTEM_WRITE);
    }
  }
  finishNamespaceIfEmpty(ctx, name);
  return ctx.store.get("namespaces", undefined, name)?.object ?? ns;
}

/** Removes a terminating namespace once nothing is left in it. */
export function finishNamespaceIfEmpty(ctx: ApiContext, name: string): void {
  const ns = ctx.store.get("namespaces", undefined, name);
  if (!ns || !isTerminating(ns.object)) return;
  for (const kind of ctx.kinds.all) if (kind.namespaced && ctx.store.list(resourceId(kind), name).length > 0) return;
  ctx.store.delete("namespaces", ns.object);
}
