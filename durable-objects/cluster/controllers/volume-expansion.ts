// Expansion of the built-in provisioner's volumes (upstream's external-resizer, for a driver that needs no
// node-side step): a Bound claim whose request grew past its volume's capacity (admission let it, the class
// allowing expansion) gets the volume's capacity raised and its own status.capacity recorded, with the
// resizer's events. A directory has no size to grow, so the resize is finished at once.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, storageBytes } from "../registry/storage-common.ts";
import { LOCAL_PATH_PROVISIONER } from "../registry/storageclasses.ts";
import type { Change } from "../store/object-store.ts";
import { ANN_PROVISIONED_BY } from "./pv-binding-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const VOLUME_EXPANSION_CONTROLLER = "external-resizer flotilla.dev/local-path";

const requested = (claim: KubeObject) => claim.spec?.resources?.requests?.storage;

/** The claim's volume when it is ours and smaller than the claim now asks. */
function volumeToGrow(ctx: ApiContext, claim: KubeObject): KubeObject | undefined {
  if (claim.status?.phase !== "Bound" || !claim.spec?.volumeName) return undefined;
  const pv = ctx.store.get(PERSISTENT_VOLUMES, undefined, claim.spec.volumeName)?.object;
  if (!pv || pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) return undefined;
  return storageBytes(requested(claim)) > storageBytes(pv.spec?.capacity?.storage) ? pv : undefined;
}

export class VolumeExpansionController implements Controller {
  readonly name = VOLUME_EXPANSION_CONTROLLER;
  readonly #w: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, VOLUME_EXPANSION_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    if (resource !== PERSISTENT_VOLUME_CLAIMS || change.type === "DELETED") return [];
    return volumeToGrow(this.ctx, object) ? [key] : [];
  }

  initialKeys(): string[] {
    return this.ctx.store
      .list(PERSISTENT_VOLUME_CLAIMS)
      .filter((e) => volumeToGrow(this.ctx, e.object))
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const claim = this.#w.entry(key)?.object;
    const pv = claim && volumeToGrow(this.ctx, claim);
    if (!claim || !pv) return undefined;
    const size = requested(claim);
    this.#w.events.record(claim, {
      type: "Normal",
      reason: "Resizing",
      message: `External resizer is resizing volume ${pv.metadata.name}`,
    });
    const grown = structuredClone(pv);
    grown.spec.capacity = { ...grown.spec.capacity, storage: size };
    this.#w.update(PERSISTENT_VOLUMES, pv, grown);
    const status = {
      ...claim.status,
      capacity: { ...(claim.status?.capacity ?? {}), storage: size },
      allocatedResources: { ...(claim.status?.allocatedResources ?? {}), storage: size },
    };
    this.#w.updateStatus(PERSISTENT_VOLUME_CLAIMS, claim, status);
    this.#w.events.record(claim, {
      type: "Normal",
      reason: "VolumeResizeSuccessful",
      message: "Resize volume succeeded",
    });
    return undefined;
  }
}
