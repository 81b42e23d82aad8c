// How controllers write: through the same create/update/delete paths as API clients (so
// validation, resourceVersions, managedFields and cascades apply), as kube-controller-manager,
// and only when something changed (a reconcile that finds nothing to do writes nothing).
import { jsonEqual } from "../../../kube/patch/json-values.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { deleteObject } from "../writes/delete.ts";
import { type DeleteOptions, SYSTEM_WRITE, type WriteOptions } from "../writes/options.ts";
import { updateObject } from "../writes/update.ts";
import { EventRecorder } from "../events/record.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { StoredEntry } from "../store/object-store.ts";

export const CONTROLLER_MANAGER = "kube-controller-manager";
export const CONTROLLER_WRITE: WriteOptions = { ...SYSTEM_WRITE, fieldManager: CONTROLLER_MANAGER };

/** The kinds and helpers one controller writes with. */
export class Writer {
  readonly ctx: ApiContext;
  readonly events: EventRecorder;

  constructor(ctx: ApiContext, component: string) {
    this.ctx = ctx;
    this.events = new EventRecorder(ctx, { component, style: "legacy", write: CONTROLLER_WRITE });
  }

  kind(resource: string): ResourceKind {
    const kind = this.ctx.kinds.byResource(resource);
    if (!kind) throw new Error(`resource ${resource} is not served`);
    return kind;
  }

  entry(key: string): StoredEntry | undefined {
    return this.ctx.store.getByKey(key);
  }

  create(resource: string, obj: KubeObject): KubeObject {
    return createObject(this.ctx, this.kind(resource), obj.metadata.namespace, obj, CONTROLLER_WRITE);
  }

  /** Replaces the object (not its status) when `next` differs from `current`. */
  update(resource: string, current: KubeObject, next: KubeObject): KubeObject {
    if (jsonEqual(current, next)) return current;
    const { namespace, name } = current.metadata;
    return updateObject(this.ctx, this.kind(resource), { namespace, name: name! }, next, CONTROLLER_WRITE);
  }

  /** Writes the status subresource when `status` differs from the stored one. */
  updateStatus(resource: string, current: KubeObject, status: unknown): KubeObject {
    if (jsonEqual(current.status ?? {}, status)) return current;
    const { namespace, name } = current.metadata;
    const next = { ...current, status } as KubeObject;
    return updateObject(
      this.ctx,
      this.kind(resource),
      { namespace, name: name!, subresource: "status" },
      next,
      CONTROLLER_WRITE,
    );
  }

  /** Deletes with the given options; an object already gone is fine. */
  delete(resource: string, obj: KubeObject, options: Partial<DeleteOptions> = {}): void {
    const { namespace, name } = obj.metadata;
    if (!this.ctx.store.get(resource, namespace, name!)) return;
    deleteObject(this.ctx, this.kind(resource), namespace, name!, {
      ...CONTROLLER_WRITE,
      preconditions: { uid: obj.metadata.uid },
      ...options,
    });
  }
}
