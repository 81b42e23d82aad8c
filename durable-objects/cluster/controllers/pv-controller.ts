// The PersistentVolume controller (pkg/controller/volume/persistentvolume's syncClaim / syncVolume) with the
// cluster's built-in provisioner beside it: claims bind to matching volumes, claims of a class whose
// provisioner is the built-in one get a new volume (Immediate: at once, on the schedulable node holding
// fewest; WaitForFirstConsumer: once the scheduler has written the selected-node annotation), volumes whose
// claim went are Released and reclaimed (Delete: the volume goes, and its node's agent removes the
// directory; Retain: kept). Claims of other provisioners wait for them, as upstream's ExternalProvisioning.
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import {
  classOf,
  PERSISTENT_VOLUME_CLAIMS,
  PERSISTENT_VOLUMES,
  STORAGE_CLASSES,
  storageBytes,
} from "../registry/storage-common.ts";
import { LOCAL_PATH_PROVISIONER } from "../registry/storageclasses.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_PROVISIONED_BY,
  ANN_STORAGE_PROVISIONER,
  boundClaimStatus,
  claimBoundTo,
  findMatchingVolume,
  isVolumeBoundToClaim,
  nearlyFull,
  nodeForImmediate,
  provisionedVolume,
  selectedNode,
  volumeBoundTo,
  volumeUnbound,
} from "./pv-binding-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const PV_CONTROLLER = "persistentvolume-binder-controller";
/** The component upstream's PV controller records its events as. */
const EVENT_COMPONENT = "persistentvolume-controller";
const CLAIM_PREFIX = `${PERSISTENT_VOLUME_CLAIMS}/`;
const VOLUME_PREFIX = `${PERSISTENT_VOLUMES}/`;

const claimKey = (namespace: string | undefined, name: string) => objectKey(PERSISTENT_VOLUME_CLAIMS, namespace, name);
const volumeKey = (name: string) => objectKey(PERSISTENT_VOLUMES, undefined, name);

export class PersistentVolumeController implements Controller {
  readonly name = PV_CONTROLLER;
  readonly #w: Writer;
  /** The built-in provisioner's own events ("Provisioning", "ProvisioningSucceeded"), under its name. */
  readonly #provisioner: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, EVENT_COMPONENT);
    this.#provisioner = new Writer(ctx, LOCAL_PATH_PROVISIONER);
  }

  keysFor(change: Change): string[] {
    const { resource, object, key } = change.entry;
    if (resource === PERSISTENT_VOLUME_CLAIMS) {
      const volume = object.spec?.volumeName as string | undefined;
      return change.type === "DELETED" ? (volume ? [volumeKey(volume)] : []) : [key];
    }
    if (resource === PERSISTENT_VOLUMES) {
      const ref = object.spec?.claimRef;
      const keys = change.type === "DELETED" ? [] : [key];
      if (ref?.name) keys.push(claimKey(ref.namespace, ref.name));
      return keys;
    }
    // A new class or node may let waiting claims go on.
    if ((resource === STORAGE_CLASSES || resource === "nodes") && change.type === "ADDED") return this.#pendingClaims();
    return [];
  }

  initialKeys(): string[] {
    return [
      ...this.ctx.store.list(PERSISTENT_VOLUME_CLAIMS).map((e) => e.key),
      ...this.ctx.store.list(PERSISTENT_VOLUMES).map((e) => e.key),
    ];
  }

  reconcile(key: string): ReconcileResult | undefined {
    const obj = this.#w.entry(key)?.object;
    if (!obj) return undefined;
    if (key.startsWith(CLAIM_PREFIX)) this.#syncClaim(obj);
    else if (key.startsWith(VOLUME_PREFIX)) this.#syncVolume(obj);
    return undefined;
  }

  #pendingClaims(): string[] {
    return this.ctx.store
      .list(PERSISTENT_VOLUME_CLAIMS)
      .filter((e) => !e.object.spec?.volumeName)
      .map((e) => e.key);
  }

  #volumes(): KubeObject[] {
    return this.ctx.store.list(PERSISTENT_VOLUMES).map((e) => e.object);
  }

  #claimPhase(claim: KubeObject, phase: string): KubeObject {
    return this.#w.updateStatus(PERSISTENT_VOLUME_CLAIMS, claim, { ...claim.status, phase });
  }

  #volumePhase(volume: KubeObject, phase: string, message?: string): KubeObject {
    if (volume.status?.phase === phase && volume.status?.message === message) return volume;
    const status: Record<string, unknown> = { phase, lastPhaseTransitionTime: timestamp(this.ctx.now()) };
    if (message) status.message = message;
    return this.#w.updateStatus(PERSISTENT_VOLUMES, volume, status);
  }

  // ---- claims ----

  #syncClaim(claim: KubeObject): void {
    if (!claim.spec?.volumeName) {
      this.#syncUnboundClaim(claim);
      return;
    }
    const bindCompleted = claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;
    const volume = this.ctx.store.get(PERSISTENT_VOLUMES, undefined, claim.spec.volumeName)?.object;
    if (!volume) {
      if (!bindCompleted) {
        this.#w.events.record(claim, {
          type: "Normal",
          reason: "FailedBinding",
          message: `volume "${claim.spec.volumeName}" requested and not found`,
        });
        this.#claimPhase(claim, "Pending");
        return;
      }
      this.#lose(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
      return;
    }
    if (!volume.spec?.claimRef) {
      // A claim that named its volume: the volume must satisfy it (checkVolumeSatisfyClaim).
      const problem = unsatisfied(volume, claim);
      if (problem) {
        this.#w.events.record(claim, {
          type: "Warning",
          reason: "VolumeMismatch",
          message: `Cannot bind to requested volume "${volume.metadata.name}": ${problem}`,
        });
        this.#claimPhase(claim, "Pending");
        return;
      }
      this.#bind(volume, claim);
      return;
    }
    if (isVolumeBoundToClaim(volume, claim)) {
      this.#bind(volume, claim);
      return;
    }
    if (bindCompleted)
      this.#lose(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
    else this.#claimPhase(claim, "Pending");
  }

  #lose(claim: KubeObject, reason: string, message: string): void {
    if (claim.status?.phase === "Lost") return;
    this.#claimPhase(claim, "Lost");
    this.#w.events.record(claim, { type: "Warning", reason, message });
  }

  #syncUnboundClaim(claim: KubeObject): void {
    const className = classOf(claim);
    const sc = className ? this.ctx.store.get(STORAGE_CLASSES, undefined, className)?.object : undefined;
    const delayBinding = sc?.volumeBindingMode === "WaitForFirstConsumer";
    const nodeName = selectedNode(claim);
    const node = nodeName ? this.ctx.store.get("nodes", undefined, nodeName)?.object : undefined;
    const nodeView = node && { name: node.metadata.name!, labels: node.metadata.labels ?? {} };
    const volume = findMatchingVolume(claim, this.#volumes(), { delayBinding, node: nodeView });
    if (volume) {
      this.#bind(volume, claim);
      return;
    }
    if (claim.status?.phase !== "Pending") claim = this.#claimPhase(claim, "Pending");
    if (delayBinding && !nodeName) {
      this.#w.events.record(claim, {
        type: "Normal",
        reason: "WaitForFirstConsumer",
        message: "waiting for first consumer to be created before binding",
      });
      return;
    }
    if (!className) {
      this.#w.events.record(claim, {
        type: "Normal",
        reason: "FailedBinding",
        message: "no persistent volumes available for this claim and no storage class is set",
      });
      return;
    }
    if (!claim.metadata.deletionTimestamp) this.#provision(claim, className, sc, node);
  }

  /** provisionClaim: the built-in provisioner's volume, or a wait for the class's own provisioner. */
  #provision(claim: KubeObject, className: string, sc: KubeObject | undefined, node: KubeObject | undefined): void {
    if (!sc) {
      this.#w.events.record(claim, {
        type: "Warning",
        reason: "ProvisioningFailed",
        message: `storageclass.storage.k8s.io "${className}" not found`,
      });
      return;
    }
    const provisioner = String(sc.provisioner);
    const annotated = structuredClone(claim);
    annotated.metadata.annotations = {
      ...annotated.metadata.annotations,
      [ANN_STORAGE_PROVISIONER]: provisioner,
      [ANN_BETA_STORAGE_PROVISIONER]: provisioner,
    };
    this.#w.events.record(claim, {
      type: "Normal",
      reason: "ExternalProvisioning",
      message: `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    });
    claim = this.#w.update(PERSISTENT_VOLUME_CLAIMS, claim, annotated);
    if (provisioner !== LOCAL_PATH_PROVISIONER) return;
    if (this.ctx.store.get(PERSISTENT_VOLUMES, undefined, `pvc-${claim.metadata.uid}`)) return;
    const target = node ?? this.#immediateNode();
    const ref = `${claim.metadata.namespace}/${claim.metadata.name}`;
    if (!target) {
      this.#provisioner.events.record(claim, {
        type: "Warning",
        reason: "ProvisioningFailed",
        message: `failed to provision volume with StorageClass "${className}": no schedulable node to provision the volume on`,
      });
      return;
    }
    if (nearlyFull(target)) {
      this.#provisioner.events.record(claim, {
        type: "Warning",
        reason: "ProvisioningFailed",
        message: `failed to provision volume with StorageClass "${className}": node "${target.metadata.name}" is nearly out of disk space (DiskPressure); no volume is made there`,
      });
      return;
    }
    this.#provisioner.events.record(claim, {
      type: "Normal",
      reason: "Provisioning",
      message: `External provisioner is provisioning volume for claim "${ref}"`,
    });
    const volume = provisionedVolume({ claim, storageClass: sc, node: target, provisioner });
    this.#provisioner.create(PERSISTENT_VOLUMES, volume);
    this.#provisioner.events.record(claim, {
      type: "Normal",
      reason: "ProvisioningSucceeded",
      message: `Successfully provisioned volume ${volume.metadata.name}`,
    });
  }

  #immediateNode(): KubeObject | undefined {
    const nodes = this.ctx.store.list("nodes").map((e) => e.object);
    const name = nodeForImmediate(nodes, this.#volumes());
    return nodes.find((n) => n.metadata.name === name);
  }

  /** bind(): the volume's claimRef and phase, then the claim's volumeName, annotations and status. */
  #bind(volume: KubeObject, claim: KubeObject): void {
    let v = this.#w.update(PERSISTENT_VOLUMES, volume, volumeBoundTo(volume, claim));
    v = this.#volumePhase(v, "Bound");
    const c = this.#w.update(PERSISTENT_VOLUME_CLAIMS, claim, claimBoundTo(claim, v));
    this.#w.updateStatus(PERSISTENT_VOLUME_CLAIMS, c, boundClaimStatus(c, v));
  }

  // ---- volumes ----

  #syncVolume(volume: KubeObject): void {
    const ref = volume.spec?.claimRef;
    if (!ref?.uid) {
      if (volume.status?.phase !== "Available" && !volume.metadata.deletionTimestamp)
        this.#volumePhase(volume, "Available");
      return;
    }
    let claim = this.ctx.store.get(PERSISTENT_VOLUME_CLAIMS, ref.namespace, ref.name)?.object;
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      const phase = volume.status?.phase;
      if (phase !== "Released" && phase !== "Failed") volume = this.#volumePhase(volume, "Released");
      this.#reclaim(volume);
      return;
    }
    // Binding not finished: the claim's sync completes it.
    if (!claim.spec?.volumeName) return;
    if (claim.spec.volumeName === volume.metadata.name) {
      this.#volumePhase(volume, "Bound");
      return;
    }
    // The claim is bound to another volume: this one is free again.
    const freed = this.#w.update(PERSISTENT_VOLUMES, volume, volumeUnbound(volume));
    this.#volumePhase(freed, "Available");
  }

  /** reclaimVolume: Retain keeps it Released; Delete removes what the built-in provisioner made. */
  #reclaim(volume: KubeObject): void {
    const policy = volume.spec?.persistentVolumeReclaimPolicy;
    if (policy === "Retain" || volume.status?.phase === "Failed" || volume.metadata.deletionTimestamp) return;
    if (policy === "Recycle") {
      this.#fail(volume, "VolumeFailedRecycle", "No recycler plugin found for the volume!");
      return;
    }
    const provisionedBy = volume.metadata.annotations?.[ANN_PROVISIONED_BY];
    if (provisionedBy === LOCAL_PATH_PROVISIONER) {
      this.#w.delete(PERSISTENT_VOLUMES, volume);
      return;
    }
    // Another provisioner deletes its own volumes; a volume made by hand has no deleter here.
    if (!provisionedBy)
      this.#fail(
        volume,
        "VolumeFailedDelete",
        `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`,
      );
  }

  #fail(volume: KubeObject, reason: string, message: string): void {
    this.#volumePhase(volume, "Failed", message);
    this.#w.events.record(volume, { type: "Warning", reason, message });
  }
}

/** checkVolumeSatisfyClaim's reasons, for a claim that names its volume. */
function unsatisfied(volume: KubeObject, claim: KubeObject): string | undefined {
  if (storageBytes(volume.spec?.capacity?.storage) < storageBytes(claim.spec?.resources?.requests?.storage))
    return "requested PV is too small";
  if (classOf(volume) !== classOf(claim)) return "storageClassName does not match";
  if ((volume.spec?.volumeMode ?? "Filesystem") !== (claim.spec?.volumeMode ?? "Filesystem"))
    return "incompatible volumeMode";
  const modes: string[] = volume.spec?.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((m: string) => modes.includes(m))) return "incompatible accessMode";
  return undefined;
}
