// Which nodes a DaemonSet's pod belongs on (upstream daemon controller's NodeShouldRunDaemonPod
// and daemon/util): the template's nodeName, nodeSelector and required node affinity, and the
// node's taints against the template's tolerations plus the ones every daemon pod gets.
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from "../../../kube/well-known-taints.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { anyTermMatches, selectorMatches } from "../scheduler/node-selector.ts";
import { tolerates, untoleratedTaint } from "../scheduler/taints.ts";
import type { NodeSelectorTerm, Taint, Toleration } from "../scheduler/types.ts";

const exists = (key: string, effect: string): Toleration => ({ key, operator: "Exists", effect });

/**
 * AddOrUpdateDaemonPodTolerations: daemons survive an unready or unreachable node (NoExecute,
 * no tolerationSeconds) and run on pressured or cordoned ones; host-network daemons also on
 * nodes whose network is not set up yet.
 */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const list = [
    exists(TAINT_NODE_NOT_READY, "NoExecute"),
    exists(TAINT_NODE_UNREACHABLE, "NoExecute"),
    exists(TAINT_NODE_DISK_PRESSURE, "NoSchedule"),
    exists(TAINT_NODE_MEMORY_PRESSURE, "NoSchedule"),
    exists(TAINT_NODE_PID_PRESSURE, "NoSchedule"),
    exists(TAINT_NODE_UNSCHEDULABLE, "NoSchedule"),
  ];
  if (hostNetwork) list.push(exists(TAINT_NODE_NETWORK_UNAVAILABLE, "NoSchedule"));
  return list;
}

const sameToleration = (a: Toleration, b: Toleration) =>
  a.key === b.key &&
  (a.operator ?? "Equal") === (b.operator ?? "Equal") &&
  a.value === b.value &&
  a.effect === b.effect;

/** The pod spec's tolerations with the daemon ones added (AddOrUpdateTolerationInPodSpec). */
export function withDaemonTolerations(spec: LooseObject): Toleration[] {
  const out: Toleration[] = [...(spec.tolerations ?? [])];
  for (const t of daemonTolerations(spec.hostNetwork === true))
    if (!out.some((have) => sameToleration(have, t))) out.push(t);
  return out;
}

/**
 * The node's taints, with those the node lifecycle controller would have set for an unready,
 * unreachable or cordoned node (TaintNodesByCondition), as the scheduler assumes them too.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints: Taint[] = [...(node.spec?.taints ?? [])];
  const add = (key: string) => {
    if (!taints.some((t) => t.key === key && t.effect === "NoSchedule")) taints.push({ key, effect: "NoSchedule" });
  };
  const ready = (node.status?.conditions ?? []).filter((c: LooseObject) => c.type === "Ready").at(-1)?.status;
  if (ready === "False") add(TAINT_NODE_NOT_READY);
  else if (ready !== "True") add(TAINT_NODE_UNREACHABLE);
  if (node.spec?.unschedulable === true) add(TAINT_NODE_UNSCHEDULABLE);
  return taints;
}

export interface NodeFit {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

function requiredTerms(spec: LooseObject): NodeSelectorTerm[] | undefined {
  return spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
}

/** NodeShouldRunDaemonPod for a DaemonSet's pod template spec. */
export function nodeShouldRunDaemonPod(node: KubeObject, podSpec: LooseObject | undefined): NodeFit {
  const spec = podSpec ?? {};
  const name = node.metadata.name!;
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== name) return no;
  const labels = node.metadata.labels ?? {};
  if (!selectorMatches(spec.nodeSelector ?? {}, labels)) return no;
  const terms = requiredTerms(spec);
  if (terms !== undefined && !anyTermMatches(terms, labels, name)) return no;
  const taints = effectiveTaints(node);
  const tolerations = withDaemonTolerations(spec);
  if (!untoleratedTaint(taints, tolerations, ["NoSchedule", "NoExecute"]))
    return { shouldRun: true, shouldContinueRunning: true };
  // Pods already here stay unless a NoExecute taint would evict them.
  const evicting = taints.some((t) => t.effect === "NoExecute" && !tolerates(tolerations, t));
  return { shouldRun: false, shouldContinueRunning: !evicting };
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may go to this node only. */
export function pinToNode(affinity: LooseObject | undefined, nodeName: string): LooseObject {
  const terms = [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }];
  const out: LooseObject = structuredClone(affinity ?? {});
  out.nodeAffinity ??= {};
  out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: terms };
  return out;
}

/** The node a daemon pod is for: its nodeName, or the node its affinity pins it to (GetTargetNodeName). */
export function targetNode(pod: KubeObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of requiredTerms(pod.spec ?? {}) ?? [])
    for (const f of term.matchFields ?? [])
      if (f.key === "metadata.name" && f.operator === "In" && f.values?.length === 1) return f.values[0];
  return undefined;
}
