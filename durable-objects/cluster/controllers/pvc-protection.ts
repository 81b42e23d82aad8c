// The PVC protection controller (pkg/controller/volume/pvcprotection): a claim being deleted loses its
// kubernetes.io/pvc-protection finalizer, and so goes, only once no scheduled, unfinished pod uses it.
import { PVC_PROTECTION_FINALIZER } from "../admission/storage.ts";
import type { ApiContext } from "../context.ts";
import { PERSISTENT_VOLUME_CLAIMS } from "../registry/storage-common.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import { claimInUse, claimsOfPod, withoutFinalizer } from "./storage-protection-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const PVC_PROTECTION_CONTROLLER = "persistentvolumeclaim-protection-controller";

export class PvcProtectionController implements Controller {
  readonly name = PVC_PROTECTION_CONTROLLER;
  readonly #w: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, PVC_PROTECTION_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, object, key } = change.entry;
    if (resource === PERSISTENT_VOLUME_CLAIMS) return object.metadata.deletionTimestamp ? [key] : [];
    if (resource !== "pods") return [];
    // A pod gone or finished may free the claims it used.
    return claimsOfPod(object)
      .map((name) => objectKey(PERSISTENT_VOLUME_CLAIMS, object.metadata.namespace, name))
      .filter((k) => this.ctx.store.getByKey(k)?.object.metadata.deletionTimestamp);
  }

  initialKeys(): string[] {
    return this.ctx.store
      .list(PERSISTENT_VOLUME_CLAIMS)
      .filter((e) => e.object.metadata.deletionTimestamp)
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const claim = this.#w.entry(key)?.object;
    if (!claim?.metadata.deletionTimestamp) return undefined;
    const pods = this.ctx.store.list("pods", claim.metadata.namespace).map((e) => e.object);
    if (claimInUse(claim, pods)) return undefined;
    const next = withoutFinalizer(claim, PVC_PROTECTION_FINALIZER);
    if (next) this.#w.update(PERSISTENT_VOLUME_CLAIMS, claim, next);
    return undefined;
  }
}
