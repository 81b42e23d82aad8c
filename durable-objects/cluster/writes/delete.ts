// Delete as upstream does it: preconditions, graceful deletion (deletionTimestamp and a
// grace period), finalizers that hold an object until they are removed, and owner
// references followed with Background, Foreground or Orphan propagation.
import { validateDeleteAdmission } from "../admission/chain.ts";
import { conflict, notFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { dependentsOf, orphanDependents, releaseOwners } from "./garbage-collector.ts";
import { finishNamespaceIfEmpty } from "./namespace-lifecycle.ts";
import { type DeleteOptions, SYSTEM_WRITE } from "./options.ts";

export const FOREGROUND_FINALIZER = "foregroundDeletion";

export interface DeleteResult {
  object: KubeObject;
  /** False while finalizers or a grace period keep the object. */
  removed: boolean;
}

function checkPreconditions(kind: ResourceKind, obj: KubeObject, pre: DeleteOptions["preconditions"]): void {
  const name = obj.metadata.name!;
  if (pre?.uid && pre.uid !== obj.metadata.uid)
    throw conflict(
      kind.group,
      kind.plural,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
    );
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion)
    throw conflict(
      kind.group,
      kind.plural,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
}

export function deleteObject(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
  options: DeleteOptions,
): DeleteResult {
  const resource = resourceId(kind);
  const current = ctx.store.get(resource, namespace, name);
  if (!current) throw notFound(kind.group, kind.plural, name);
  kind.admitDelete?.(current.object);
  // Requests only: the server's own deletes (GC, namespace cleanup, finished pods) are not policy-checked.
  if (options.user) validateDeleteAdmission(ctx, kind, current.object, options.user);
  checkPreconditions(kind, current.object, options.preconditions);
  const obj = structuredClone(current.object);
  const grace = kind.gracePeriod?.(obj, options.gracePeriodSeconds) ?? 0;
  if (options.dryRun) return { object: obj, removed: (obj.metadata.finalizers ?? []).length === 0 && grace === 0 };
  return ctx.store.transaction(() => {
    if (kind.beginDeletion) return { object: kind.beginDeletion(ctx, obj), removed: false };
    if (options.propagationPolicy === "Orphan") orphanDependents(ctx, obj);
    if (options.propagationPolicy === "Foreground" && dependentsOf(ctx, obj).length > 0)
      obj.metadata.finalizers = [...new Set([...(obj.metadata.finalizers ?? []), FOREGROUND_FINALIZER])];
    if ((obj.metadata.finalizers ?? []).length === 0 && grace === 0)
      return { object: removeObject(ctx, kind, obj), removed: true };
    return { object: markDeleting(ctx, kind, obj, grace), removed: false };
  });
}

/** Sets deletionTimestamp (now + grace); a second delete may only shorten the grace period. */
function markDeleting(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, grace: number): KubeObject {
  const meta = obj.metadata;
  const already = meta.deletionTimestamp !== undefined;
  if (already && (meta.deletionGracePeriodSeconds ?? 0) <= grace && !meta.finalizers?.includes(FOREGROUND_FINALIZER))
    return obj;
  meta.deletionTimestamp = timestamp(ctx.now() + grace * 1000);
  meta.deletionGracePeriodSeconds = grace;
  const stored = ctx.store.put(resourceId(kind), obj, "MODIFIED").object;
  if (meta.finalizers?.includes(FOREGROUND_FINALIZER)) {
    for (const dep of dependentsOf(ctx, stored)) deleteDependent(ctx, dep);
    return releaseForeground(ctx, kind, stored) ?? stored;
  }
  return finishDeletionIfReady(ctx, kind, stored) ?? stored;
}

function deleteDependent(ctx: ApiContext, dependent: { kind: ResourceKind; object: KubeObject }): void {
  const { kind, object } = dependent;
  if (!ctx.store.get(resourceId(kind), object.metadata.namespace, object.metadata.name!)) return;
  deleteObject(ctx, kind, object.metadata.namespace, object.metadata.name!, SYSTEM_WRITE);
}

/** Drops the foreground finalizer once no dependents remain, which may finish the deletion. */
export function releaseForeground(ctx: ApiContext, kind: ResourceKind, owner: KubeObject): KubeObject | undefined {
  if (!owner.metadata.finalizers?.includes(FOREGROUND_FINALIZER) || dependentsOf(ctx, owner).length > 0)
    return undefined;
  const next = structuredClone(owner);
  next.metadata.finalizers = next.metadata.finalizers!.filter((f) => f !== FOREGROUND_FINALIZER);
  if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
  const stored = ctx.store.put(resourceId(kind), next, "MODIFIED").object;
  return finishDeletionIfReady(ctx, kind, stored) ?? stored;
}

/**
 * Removes an object whose deletion has been requested once nothing holds it any longer:
 * no finalizers and no grace period left. Returns its last state when it went.
 */
export function finishDeletionIfReady(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): KubeObject | undefined {
  const meta = obj.metadata;
  if (!meta.deletionTimestamp || (meta.finalizers ?? []).length > 0 || (meta.deletionGracePeriodSeconds ?? 0) > 0)
    return undefined;
  // A kind that deletes its own way also removes its objects itself.
  if (kind.beginDeletion) return undefined;
  return removeObject(ctx, kind, obj);
}

/** Removes the object now and lets its dependents, owners and namespace react. */
function removeObject(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): KubeObject {
  const last = ctx.store.delete(resourceId(kind), obj).object;
  for (const dep of dependentsOf(ctx, obj)) {
    if (releaseOwners(ctx, dep, obj.metadata.uid!)) continue;
    deleteDependent(ctx, dep);
  }
  for (const ref of obj.metadata.ownerReferences ?? []) {
    const owner = ctx.store.uids.keys(ref.uid).map((k) => ctx.store.getByKey(k)!)[0];
    const ownerKind = owner && ctx.kinds.byResource(owner.resource);
    if (owner && ownerKind) releaseForeground(ctx, ownerKind, owner.object);
  }
  if (kind.namespaced && obj.metadata.namespace) finishNamespaceIfEmpty(ctx, obj.metadata.namespace);
  return last;
}
