// Update (PUT, and the last step of every PATCH): optimistic concurrency on resourceVersion,
// the split between an object and its status subresource, generation tracking, and the
// end of a deletion once the last finalizer is gone.
import { checkEscalation } from "../auth/escalation.ts";
import { jsonEqual } from "../../../kube/patch/json-values.ts";
import { forbidden as forbiddenField } from "../../../kube/field-errors.ts";
import { recordUpdate } from "../../../kube/managed-fields/record-update.ts";
import { badRequest, invalid, notFound, staleConflict } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { apiVersionOf, resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { allocate } from "./allocation.ts";
import type { ApiContext } from "../context.ts";
import { finishDeletionIfReady } from "./delete.ts";
import type { WriteOptions } from "./options.ts";
import { validateAdmission } from "../admission/chain.ts";
import { admitPodSecurity } from "../admission/pod-security.ts";
import { checkObjectSize, validateUpdate } from "./validate.ts";

export interface UpdateTarget {
  namespace?: string;
  name: string;
  subresource?: string;
}

/** Metadata only the server may set; an update keeps the stored values. */
const SYSTEM_FIELDS = [
  "uid",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "generation",
] as const;

/** Everything but metadata and status: what a generation counts changes of. */
function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, resourceVersion: _r, ...rest } = obj;
  return JSON.stringify(rest);
}

function merge(kind: ResourceKind, old: KubeObject, incoming: KubeObject, subresource?: string): KubeObject {
  if (subresource === "status") {
    const next = structuredClone(old);
    next.status = incoming.status;
    return next;
  }
  if (subresource === "ephemeralcontainers") {
    // Upstream's dropNonEphemeralContainerUpdates: everything else stays as stored.
    const next = structuredClone(old);
    next.spec = { ...next.spec, ephemeralContainers: incoming.spec?.ephemeralContainers };
    if (!next.spec.ephemeralContainers) delete next.spec.ephemeralContainers;
    if (kind.tracksGeneration && specOf(next) !== specOf(old))
      next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    return next;
  }
  const next = incoming;
  if (kind.subresources?.status) next.status = structuredClone(old.status);
  const meta = next.metadata as Record<string, unknown>;
  const oldMeta = old.metadata as Record<string, unknown>;
  for (const field of SYSTEM_FIELDS) {
    if (oldMeta[field] === undefined) delete meta[field];
    else meta[field] = oldMeta[field];
  }
  if (kind.tracksGeneration && specOf(next) !== specOf(old))
    next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  return next;
}

function checkIdentity(kind: ResourceKind, target: UpdateTarget, incoming: KubeObject): void {
  const meta = incoming.metadata;
  if (meta.name !== undefined && meta.name !== target.name)
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${target.name})`);
  meta.name = target.name;
  if (kind.namespaced) {
    if (meta.namespace && meta.namespace !== target.namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    meta.namespace = target.namespace;
  } else delete meta.namespace;
}

/** Upstream forbids new finalizers on an object that is being deleted. */
function checkFinalizers(kind: ResourceKind, next: KubeObject, old: KubeObject): void {
  if (!old.metadata.deletionTimestamp) return;
  const before = new Set(old.metadata.finalizers ?? []);
  const added = (next.metadata.finalizers ?? []).filter((f) => !before.has(f));
  if (added.length > 0)
    throw invalid(kind.group, kind.kind, old.metadata.name!, [
      forbiddenField(
        "metadata.finalizers",
        `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
      ),
    ]);
}

export function updateObject(
  ctx: ApiContext,
  kind: ResourceKind,
  target: UpdateTarget,
  incoming: KubeObject,
  options: WriteOptions,
): KubeObject {
  const resource = resourceId(kind);
  const current = ctx.store.get(resource, target.namespace, target.name);
  if (!current) throw notFound(kind.group, kind.plural, target.name);
  checkIdentity(kind, target, incoming);
  const rv = incoming.metadata.resourceVersion;
  if (rv && rv !== current.object.metadata.resourceVersion) throw staleConflict(kind.group, kind.plural, target.name);
  const old = current.object;
  const next = merge(kind, old, incoming, target.subresource);
  if (target.subresource !== "status") allocate(ctx, kind, next, old);
  kind.defaults?.(next);
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (target.subresource === undefined) checkEscalation(ctx, kind, next, old, options.user);
  validateUpdate(kind, next, old, target.subresource);
  checkFinalizers(kind, next, old);
  if (target.subresource === undefined) validateAdmission(ctx, kind, next, old, options.warnings, options.user);
  // Pod Security evaluates the whole pod on an ephemeral container update (upstream's only pod update it
  // checks in full): passed as new, or a privileged debug container would bypass the namespace's level.
  if (target.subresource === "ephemeralcontainers")
    admitPodSecurity(ctx, kind, next, undefined, options.warnings ?? []);
  if (!options.managedFieldsDone) {
    const managed = recordUpdate(old, next, {
      manager: options.fieldManager,
      apiVersion: apiVersionOf(kind),
      now: ctx.now(),
      subresource: target.subresource,
    });
    if (managed) next.metadata.managedFields = managed as never;
    else delete next.metadata.managedFields;
  }
  if (jsonEqual(next, old)) return old;
  checkObjectSize(JSON.stringify(next));
  if (options.dryRun) return next;
  return ctx.store.transaction(() => {
    const entry = ctx.store.put(resource, next, "MODIFIED");
    return finishDeletionIfReady(ctx, kind, entry.object) ?? entry.object;
  });
}
