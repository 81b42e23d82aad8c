// The PV controller's pure parts (pkg/controller/volume/persistentvolume: index.go's findMatchingVolume,
// pv_controller.go's bind/unbind writes) and the shape of a volume the built-in provisioner makes: a
// directory on one node, with node affinity to it, as rancher's local-path-provisioner makes them.
import type { KubeObject } from "../../../kube/types.ts";
import { classOf, storageBytes } from "../registry/storage-common.ts";
import { selectorMatches } from "../registry/workload-validation.ts";
import { anyTermMatches } from "../scheduler/node-selector.ts";
import type { NodeSelectorTerm } from "../scheduler/types.ts";

export const ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
export const ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
export const ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
export const ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
export const ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
/** Where a node keeps the volumes the built-in provisioner makes (the agent reports its own). */
export const ANN_VOLUME_DIR = "flotilla.dev/volume-dir";
export const DEFAULT_VOLUME_DIR = "/var/lib/flotilla/volumes";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

interface NodeView {
  name: string;
  labels: Record<string, string>;
}

const modesOf = (o: KubeObject): string[] => (Array.isArray(o.spec?.accessModes) ? o.spec.accessModes : []);

/** volumeutil.CheckNodeAffinity: a volume without node affinity is reachable from every node. */
export function volumeReachableFrom(volume: KubeObject, node: NodeView): boolean {
  const terms: NodeSelectorTerm[] | undefined = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return anyTermMatches(terms, node.labels, node.name);
}

/** IsVolumeBoundToClaim: the claimRef names the claim (and its uid, once set). */
export function isVolumeBoundToClaim(volume: KubeObject, claim: KubeObject): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/**
 * findMatchingVolume: the volume pre-bound to the claim, else the smallest Available one of the claim's
 * class that holds the request, offers every requested access mode, matches the selector and (with a node,
 * the scheduler's question) is reachable from it. Unbound volumes are not offered to a delayed-binding claim
 * without a node: the scheduler picks those.
 */
export function findMatchingVolume(
  claim: KubeObject,
  volumes: readonly KubeObject[],
  opts: { node?: NodeView; delayBinding: boolean },
): KubeObject | undefined {
  const requested = storageBytes(claim.spec?.resources?.requests?.storage);
  const wantModes = modesOf(claim);
  const wantClass = classOf(claim);
  const wantMode = claim.spec?.volumeMode ?? "Filesystem";
  let best: KubeObject | undefined;
  let bestSize = 0n;
  for (const volume of volumes) {
    const size = storageBytes(volume.spec?.capacity?.storage);
    if (size < requested) continue;
    if ((volume.spec?.volumeMode ?? "Filesystem") !== wantMode) continue;
    if (volume.metadata.deletionTimestamp) continue;
    if (!wantModes.every((m) => modesOf(volume).includes(m))) continue;
    const reachable = !opts.node || volumeReachableFrom(volume, opts.node);
    if (isVolumeBoundToClaim(volume, claim)) return reachable ? volume : undefined;
    if (!opts.node && opts.delayBinding) continue;
    if (volume.status?.phase !== "Available" || volume.spec?.claimRef) continue;
    if (classOf(volume) !== wantClass) continue;
    if (claim.spec?.selector && selectorMatches(claim.spec.selector, volume.metadata.labels) !== true) continue;
    if (!reachable) continue;
    if (!best || size < bestSize) [best, bestSize] = [volume, size];
  }
  return best;
}

/** The claimRef a bound volume carries (GetReference of the claim). */
export function claimRefOf(claim: KubeObject) {
  const { namespace, name, uid, resourceVersion } = claim.metadata;
  return { kind: "PersistentVolumeClaim", namespace, name, uid, apiVersion: "v1", resourceVersion };
}

/** bindVolumeToClaim: the volume with its claimRef set (marked bound-by-controller when the controller chose it). */
export function volumeBoundTo(volume: KubeObject, claim: KubeObject): KubeObject {
  const next = structuredClone(volume);
  const ref = next.spec.claimRef;
  if (ref && ref.uid === claim.metadata.uid) return next;
  if (!ref) next.metadata.annotations = { ...next.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: "yes" };
  next.spec.claimRef = claimRefOf(claim);
  return next;
}

/** bindClaimToVolume: volumeName and the bind-completed annotations. */
export function claimBoundTo(claim: KubeObject, volume: KubeObject): KubeObject {
  const next = structuredClone(claim);
  const annotations: Record<string, string> = { ...next.metadata.annotations, [ANN_BIND_COMPLETED]: "yes" };
  if (!next.spec.volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = "yes";
  next.metadata.annotations = annotations;
  next.spec.volumeName = volume.metadata.name;
  return next;
}

/** The status of a claim bound to `volume`: its modes and capacity. */
export function boundClaimStatus(claim: KubeObject, volume: KubeObject): Record<string, unknown> {
  return {
    ...claim.status,
    phase: "Bound",
    accessModes: volume.spec?.accessModes,
    capacity: { ...(claim.status?.capacity ?? {}), storage: volume.spec?.capacity?.storage },
  };
}

/** unbindVolume: a volume the controller bound goes back to Available; one pre-bound by a user keeps its claim name. */
export function volumeUnbound(volume: KubeObject): KubeObject {
  const next = structuredClone(volume);
  if (next.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
    delete next.spec.claimRef;
    delete next.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
  } else if (next.spec.claimRef) delete next.spec.claimRef.uid;
  return next;
}

/** The node a delayed-binding claim is to be provisioned on, once the scheduler has chosen it. */
export const selectedNode = (claim: KubeObject): string | undefined =>
  claim.metadata.annotations?.[ANN_SELECTED_NODE] || undefined;

const hasCondition = (node: KubeObject, type: string) =>
  (node.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === type && c.status === "True");

/** A node whose disk is nearly full (its agent reports DiskPressure): the built-in provisioner puts nothing there. */
export const nearlyFull = (node: KubeObject) => hasCondition(node, "DiskPressure");

/** For an Immediate claim of the built-in class: the schedulable node holding the fewest of its volumes. */
export function nodeForImmediate(nodes: readonly KubeObject[], volumes: readonly KubeObject[]): string | undefined {
  const held = new Map<string, number>();
  for (const v of volumes) {
    const node = provisionedNodeOf(v);
    if (node) held.set(node, (held.get(node) ?? 0) + 1);
  }
  const ready = nodes.filter(
    (n) => !n.spec?.unschedulable && !n.metadata.deletionTimestamp && hasCondition(n, "Ready") && !nearlyFull(n),
  );
  ready.sort(
    (a, b) =>
      (held.get(a.metadata.name!) ?? 0) - (held.get(b.metadata.name!) ?? 0) ||
      (a.metadata.name! < b.metadata.name! ? -1 : 1),
  );
  return ready[0]?.metadata.name;
}

/** The node a volume of the built-in provisioner lives on (its node affinity's one hostname). */
export function provisionedNodeOf(volume: KubeObject): string | undefined {
  const terms: NodeSelectorTerm[] = volume.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  for (const t of terms)
    for (const r of t.matchExpressions ?? [])
      if (r.key === HOSTNAME_LABEL && r.operator === "In" && r.values?.length === 1) return r.values[0];
  return undefined;
}

export interface ProvisionInput {
  claim: KubeObject;
  storageClass: KubeObject;
  node: KubeObject;
  provisioner: string;
}

/** The volume the built-in provisioner makes for a claim: `pvc-<claim uid>`, a directory on the chosen node. */
export function provisionedVolume({ claim, storageClass, node, provisioner }: ProvisionInput): KubeObject {
  const name = `pvc-${claim.metadata.uid}`;
  const parameters = (storageClass.parameters ?? {}) as Record<string, string>;
  const base = parameters.basePath || node.metadata.annotations?.[ANN_VOLUME_DIR] || DEFAULT_VOLUME_DIR;
  const hostname = node.metadata.labels?.[HOSTNAME_LABEL] ?? node.metadata.name!;
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, annotations: { [ANN_PROVISIONED_BY]: provisioner } },
    spec: {
      capacity: { storage: claim.spec.resources.requests.storage },
      accessModes: claim.spec.accessModes,
      claimRef: claimRefOf(claim),
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? "Delete",
      storageClassName: storageClass.metadata.name,
      volumeMode: claim.spec.volumeMode ?? "Filesystem",
      ...(storageClass.mountOptions ? { mountOptions: storageClass.mountOptions } : {}),
      local: { path: `${base.replace(/\/+$/, "")}/${name}` },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [hostname] }] }],
        },
      },
    },
  };
}
