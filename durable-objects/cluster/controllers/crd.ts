// The apiextensions controllers for CustomResourceDefinitions: naming (NamesAccepted, acceptedNames),
// establishing (Established, which is when crd/served-kinds.ts starts serving the kind) and the
// finalizer (a deleted CRD is Terminating while its custom resources are deleted, finalizers
// honoured, and goes once none is left).
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { timestamp } from "../context.ts";
import type { CrdSpec } from "../crd/custom-kinds.ts";
import { CRD_CLEANUP_FINALIZER, CRDS } from "../registry/customresourcedefinitions.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const CRD_CONTROLLER = "apiextensions-controller";

interface Condition {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** Sets a condition, keeping its transition time when its status did not change. */
function withCondition(conditions: Condition[], next: Condition, now: string): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  const time = old && old.status === next.status ? old.lastTransitionTime : now;
  const merged = { ...next, lastTransitionTime: time };
  return old ? conditions.map((c) => (c.type === next.type ? merged : c)) : [...conditions, merged];
}

export class CrdController implements Controller {
  readonly name = CRD_CONTROLLER;
  readonly #w: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, CRD_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key } = change.entry;
    if (resource === CRDS) return [key];
    // A custom resource going may let its terminating CRD go (the CRD's name is the resource's id).
    if (change.type !== "DELETED") return [];
    const crdKey = objectKey(CRDS, undefined, resource);
    return this.ctx.store.getByKey(crdKey)?.object.metadata.deletionTimestamp ? [crdKey] : [];
  }

  initialKeys(): string[] {
    return this.ctx.store.list(CRDS).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const crd = this.#w.entry(key)?.object;
    if (!crd) return undefined;
    if (crd.metadata.deletionTimestamp) return this.#finalize(crd);
    this.#establish(crd);
    return undefined;
  }

  /** A names conflict with a built-in or another CRD of the group, as upstream's naming controller finds them. */
  #conflict(crd: KubeObject): Condition | undefined {
    const spec = crd.spec as CrdSpec;
    for (const k of this.ctx.kinds.all) {
      if (k.group !== spec.group || !this.ctx.kinds.isBuiltin(k)) continue;
      if (k.plural === spec.names.plural)
        return {
          type: "NamesAccepted",
          status: "False",
          reason: "PluralConflict",
          message: `"${k.plural}" is already in use`,
        };
    }
    for (const other of this.ctx.store.list(CRDS)) {
      const o = other.object;
      if (o.metadata.name === crd.metadata.name || o.spec?.group !== spec.group) continue;
      if (o.status?.acceptedNames?.kind === spec.names.kind)
        return {
          type: "NamesAccepted",
          status: "False",
          reason: "KindConflict",
          message: `"${spec.names.kind}" is already in use`,
        };
    }
    return undefined;
  }

  #establish(crd: KubeObject): void {
    const spec = crd.spec as CrdSpec;
    const now = timestamp(this.ctx.now());
    const status = structuredClone(crd.status ?? {});
    let conditions: Condition[] = status.conditions ?? [];
    const conflict = this.#conflict(crd);
    if (conflict) conditions = withCondition(conditions, conflict, now);
    else {
      status.acceptedNames = structuredClone(spec.names);
      conditions = withCondition(
        conditions,
        { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found" },
        now,
      );
      conditions = withCondition(
        conditions,
        {
          type: "Established",
          status: "True",
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
        },
        now,
      );
    }
    status.conditions = conditions;
    status.acceptedNames ??= { plural: "", kind: "" };
    const storage = spec.versions.find((v) => v.storage)?.name;
    const stored: string[] = status.storedVersions ?? [];
    if (storage && !stored.includes(storage)) stored.push(storage);
    status.storedVersions = stored;
    this.#w.updateStatus(CRDS, crd, status);
  }

  #finalize(crd: KubeObject): ReconcileResult | undefined {
    if (!crd.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER)) return undefined;
    const resource = crd.metadata.name!;
    const now = timestamp(this.ctx.now());
    const terminating = (status: "True" | "False", reason: string, message: string) =>
      this.#w.updateStatus(CRDS, crd, {
        ...crd.status,
        conditions: withCondition(crd.status?.conditions ?? [], { type: "Terminating", status, reason, message }, now),
      });
    crd = terminating("True", "InstanceDeletionInProgress", "CustomResource deletion is in progress");
    // A CRD naming a built-in resource (never Established: PluralConflict) owns none of its objects.
    const kind = this.ctx.kinds.byResource(resource);
    const owned = kind !== undefined && !this.ctx.kinds.isBuiltin(kind);
    if (owned)
      for (const entry of [...this.ctx.store.list(resource)])
        if (!entry.object.metadata.deletionTimestamp) this.#w.delete(resource, entry.object);
    const left = owned ? this.ctx.store.list(resource).length : 0;
    // Instances held by their finalizers wake this key as they go (keysFor); the requeue is a backstop.
    if (left > 0) return { requeueAfterMs: 5000 };
    crd = terminating("False", "InstanceDeletionCompleted", "removed all instances");
    const next = structuredClone(crd);
    next.metadata.finalizers = crd.metadata.finalizers!.filter((f) => f !== CRD_CLEANUP_FINALIZER);
    this.#w.update(CRDS, crd, next);
    return undefined;
  }
}
