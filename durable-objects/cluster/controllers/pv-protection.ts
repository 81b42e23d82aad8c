// The PV protection controller (pkg/controller/volume/pvprotection): a volume being deleted loses its
// kubernetes.io/pv-protection finalizer, and so goes, only once it is no longer Bound to a claim.
import { PV_PROTECTION_FINALIZER } from "../admission/storage.ts";
import type { ApiContext } from "../context.ts";
import { PERSISTENT_VOLUMES } from "../registry/storage-common.ts";
import type { Change } from "../store/object-store.ts";
import { volumeInUse, withoutFinalizer } from "./storage-protection-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const PV_PROTECTION_CONTROLLER = "persistentvolume-protection-controller";

export class PvProtectionController implements Controller {
  readonly name = PV_PROTECTION_CONTROLLER;
  readonly #w: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, PV_PROTECTION_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, object, key } = change.entry;
    return resource === PERSISTENT_VOLUMES && change.type !== "DELETED" && object.metadata.deletionTimestamp
      ? [key]
      : [];
  }

  initialKeys(): string[] {
    return this.ctx.store
      .list(PERSISTENT_VOLUMES)
      .filter((e) => e.object.metadata.deletionTimestamp)
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const volume = this.#w.entry(key)?.object;
    if (!volume?.metadata.deletionTimestamp || volumeInUse(volume)) return undefined;
    const next = withoutFinalizer(volume, PV_PROTECTION_FINALIZER);
    if (next) this.#w.update(PERSISTENT_VOLUMES, volume, next);
    return undefined;
  }
}
