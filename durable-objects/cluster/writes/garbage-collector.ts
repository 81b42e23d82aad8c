// Owner references, followed at deletion time: which objects depend on an owner, and how
// they are orphaned or released when an owner goes.
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ApiContext } from "../context.ts";

export interface Dependent {
  kind: ResourceKind;
  object: KubeObject;
}

export function dependentsOf(ctx: ApiContext, owner: KubeObject): Dependent[] {
  const uid = owner.metadata.uid;
  if (!uid) return [];
  const out: Dependent[] = [];
  for (const key of ctx.store.owners.keys(uid)) {
    const entry = ctx.store.getByKey(key);
    const kind = entry && ctx.kinds.byResource(entry.resource);
    if (entry && kind) out.push({ kind, object: entry.object });
  }
  return out;
}

function withoutOwner(ctx: ApiContext, dep: Dependent, uid: string): void {
  const next = structuredClone(dep.object);
  next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
  if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
  const entry = ctx.store.put(resourceId(dep.kind), next, "MODIFIED");
  dep.object = entry.object;
}

/** Orphan propagation: dependents lose their reference to the owner and stay. */
export function orphanDependents(ctx: ApiContext, owner: KubeObject): void {
  for (const dep of dependentsOf(ctx, owner)) withoutOwner(ctx, dep, owner.metadata.uid!);
}

/**
 * A dependent with another owner that still exists only loses the reference to the
 * departed owner (upstream's GC deletes a dependent only when all its owners are gone).
 */
export function releaseOwners(ctx: ApiContext, dep: Dependent, departedUid: string): boolean {
  const others = (dep.object.metadata.ownerReferences ?? []).filter((r) => r.uid !== departedUid);
  const alive = others.some((r) => ctx.store.uids.keys(r.uid).length > 0);
  if (!alive) return false;
  withoutOwner(ctx, dep, departedUid);
  return true;
}
