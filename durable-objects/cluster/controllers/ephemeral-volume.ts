// The ephemeral volume controller (pkg/controller/volume/ephemeral): each `ephemeral` volume of a pod gets
// its claim `<pod>-<volume>` from the volume's claim template, owned (as controller) by the pod so the
// garbage collector deletes it with the pod. A claim of that name the pod does not own is left alone: the
// pod cannot use it (upstream refuses it the same way).
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { PERSISTENT_VOLUME_CLAIMS, podClaims } from "../registry/storage-common.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { newControllerRef } from "./pods.ts";
import { Writer } from "./writes.ts";

export const EPHEMERAL_VOLUME_CONTROLLER = "ephemeral-volume-controller";

interface EphemeralVolume {
  name: string;
  ephemeral?: { volumeClaimTemplate?: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } };
}

/** The claim an ephemeral volume of the pod asks for. */
export function ephemeralClaim(pod: KubeObject, volume: EphemeralVolume): KubeObject {
  const template = volume.ephemeral?.volumeClaimTemplate ?? {};
  const meta = structuredClone(template.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      ...(meta.labels ? { labels: meta.labels as Record<string, string> } : {}),
      ...(meta.annotations ? { annotations: meta.annotations as Record<string, string> } : {}),
      name: `${pod.metadata.name}-${volume.name}`,
      namespace: pod.metadata.namespace,
      ownerReferences: [newControllerRef(pod)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

export class EphemeralVolumeController implements Controller {
  readonly name = EPHEMERAL_VOLUME_CONTROLLER;
  readonly #w: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, EPHEMERAL_VOLUME_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, object, key } = change.entry;
    if (resource === "pods")
      return change.type !== "DELETED" && podClaims(object).some((c) => c.ephemeral) ? [key] : [];
    // A pod's claim deleted while the pod lives is made again.
    if (resource === PERSISTENT_VOLUME_CLAIMS && change.type === "DELETED") {
      const owner = (object.metadata.ownerReferences ?? []).find((r: { kind: string }) => r.kind === "Pod");
      return owner ? [objectKey("pods", object.metadata.namespace, owner.name)] : [];
    }
    return [];
  }

  initialKeys(): string[] {
    return this.ctx.store
      .list("pods")
      .filter((e) => podClaims(e.object).some((c) => c.ephemeral))
      .map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const pod = this.#w.entry(key)?.object;
    if (!pod || pod.metadata.deletionTimestamp) return undefined;
    for (const volume of (pod.spec?.volumes ?? []) as EphemeralVolume[]) {
      if (!volume.ephemeral) continue;
      const claim = ephemeralClaim(pod, volume);
      if (this.ctx.store.get(PERSISTENT_VOLUME_CLAIMS, pod.metadata.namespace, claim.metadata.name!)) continue;
      this.#w.create(PERSISTENT_VOLUME_CLAIMS, claim);
    }
    return undefined;
  }
}
