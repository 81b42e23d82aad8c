// VolumeBinding: a pod's claims must be satisfiable on the node. PreFilter rejects the pod outright for a
// missing or terminating claim or an unbound Immediate one; Filter keeps a bound claim's volume on the nodes
// its node affinity admits, and a WaitForFirstConsumer claim on nodes where an Available volume matches or
// its class can provision. Reasons as upstream's volumebinding plugin words them.
import type { KubeObject } from "../../../../kube/types.ts";
import { findMatchingVolume, selectedNode, volumeReachableFrom } from "../../controllers/pv-binding-plan.ts";
import { classOf, podClaims } from "../../registry/storage-common.ts";
import { anyTermMatches } from "../node-selector.ts";
import type { CycleState, NodeSelectorTerm, Plugin, PodInfo, Status, StorageView } from "../types.ts";
import { unresolvable } from "../types.ts";
import { delaysBinding } from "../storage-view.ts";

export const ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
export const ERR_NODE_CONFLICT = "node(s) had volume node affinity conflict";
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
/** The class of statically provisioned local volumes: nothing can be provisioned for it. */
const NO_PROVISIONER = "kubernetes.io/no-provisioner";
const STATE_KEY = "VolumeBinding";

interface PodVolumes {
  /** Volumes of bound claims; undefined where the volume does not exist. */
  bound: (KubeObject | undefined)[];
  /** Unbound claims waiting for their first consumer. */
  delayed: KubeObject[];
}

/** Whether the claim's class could provision a volume reachable from the node. */
function canProvision(claim: KubeObject, storage: StorageView, node: { name: string; labels: Record<string, string> }) {
  const sc = storage.storageClass(classOf(claim));
  if (!sc || sc.provisioner === NO_PROVISIONER) return false;
  const topologies = sc.allowedTopologies as
    | { matchLabelExpressions?: { key: string; values: string[] }[] }[]
    | undefined;
  if (!topologies?.length) return true;
  const terms: NodeSelectorTerm[] = topologies.map((t) => ({
    matchExpressions: (t.matchLabelExpressions ?? []).map((e) => ({ key: e.key, operator: "In", values: e.values })),
  }));
  return anyTermMatches(terms, node.labels, node.name);
}

const ownedBy = (claim: KubeObject, pod: PodInfo) =>
  (claim.metadata.ownerReferences ?? []).some(
    (r: { uid?: string; controller?: boolean }) => r.controller && r.uid === pod.object.metadata.uid,
  );

function preFilter(state: CycleState, pod: PodInfo, storage: StorageView): boolean | Status {
  const claims = podClaims(pod.object);
  if (claims.length === 0) return false;
  const found: PodVolumes = { bound: [], delayed: [] };
  let unboundImmediate = false;
  for (const { name, ephemeral } of claims) {
    const claim = storage.claim(pod.namespace, name);
    if (!claim)
      return unresolvable(
        ephemeral
          ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"`
          : `persistentvolumeclaim "${name}" not found`,
      );
    if (claim.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
    if (ephemeral && !ownedBy(claim, pod))
      return unresolvable(
        `PVC ${pod.namespace}/${name} was not created for pod ${pod.namespace}/${pod.name} (pod is not owner)`,
      );
    if (claim.spec?.volumeName) found.bound.push(storage.volume(claim.spec.volumeName));
    else if (delaysBinding(claim, storage)) found.delayed.push(claim);
    else unboundImmediate = true;
  }
  if (unboundImmediate) return unresolvable(ERR_UNBOUND_IMMEDIATE);
  state.set(STATE_KEY, found);
  return true;
}

export const volumeBinding: Plugin = {
  name: "VolumeBinding",
  filter: {
    preFilter: (state, pod, view) => preFilter(state, pod, view.storage),
    filter(state, _pod, node, view) {
      const found = state.get(STATE_KEY) as PodVolumes | undefined;
      if (!found) return null;
      const where = { name: node.name, labels: node.labels };
      const reasons = new Set<string>();
      for (const pv of found.bound) {
        if (!pv) reasons.add(ERR_PV_NOT_EXIST);
        else if (!volumeReachableFrom(pv, where)) reasons.add(ERR_NODE_CONFLICT);
      }
      const volumes = found.delayed.length ? view.storage.volumes() : [];
      for (const claim of found.delayed) {
        // Already handed to a node (another pod of the claim was placed there): only that node will do.
        const chosen = selectedNode(claim);
        if (chosen && chosen !== node.name) reasons.add(ERR_BIND_CONFLICT);
        else if (
          !findMatchingVolume(claim, volumes, { delayBinding: true, node: where }) &&
          !canProvision(claim, view.storage, where)
        )
          reasons.add(ERR_BIND_CONFLICT);
      }
      return reasons.size ? { reasons: [...reasons].sort(), unresolvable: true } : null;
    },
  },
};
