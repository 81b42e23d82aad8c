// PodTopologySpread: DoNotSchedule constraints keep the skew (pods in this domain minus the
// emptiest domain) within maxSkew; ScheduleAnyway constraints, and the system defaults for
// pods of a controller (3 per hostname, 5 per zone), favour the emptier domains.
import { type LabelRequirement, matchesLabels, requirementsFromLabelSelector } from "../../../../kube/labels.ts";
import {
  type ClusterView,
  MAX_NODE_SCORE,
  type NodeInfoView,
  type PodInfo,
  type Plugin,
  type TopologySpreadConstraint,
  unresolvable,
  unschedulable,
} from "../types.ts";
import { nodeAffinityMatches } from "./node-affinity.ts";

const HOSTNAME = "kubernetes.io/hostname";
const ZONE = "topology.kubernetes.io/zone";
const FILTER_KEY = "PodTopologySpread/filter";
const SCORE_KEY = "PodTopologySpread/score";

interface Counted {
  key: string;
  maxSkew: number;
  selfMatch: number;
  counts: Map<string, number>;
  min: number;
  weight: number;
}

const constraintsOf = (pod: PodInfo, when: string) => pod.spread.filter((c) => c.whenUnsatisfiable === when);

/** Pods matching the selector in the pod's namespace, per domain, over the nodes the pod may use. */
function countDomains(
  pod: PodInfo,
  c: TopologySpreadConstraint,
  selector: LabelRequirement[] | null,
  nodes: readonly NodeInfoView[],
  keys: string[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of nodes) {
    if (!keys.every((k) => Object.hasOwn(node.labels, k))) continue;
    if ((c.nodeAffinityPolicy ?? "Honor") === "Honor" && !nodeAffinityMatches(pod, node.labels, node.name)) continue;
    const domain = node.labels[c.topologyKey];
    let n = counts.get(domain) ?? 0;
    for (const p of node.pods.values()) if (p.namespace === pod.namespace && matchesLabels(selector, p.labels)) n++;
    counts.set(domain, n);
  }
  return counts;
}

function minOf(counts: Map<string, number>, minDomains: number): number {
  if (counts.size < minDomains) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const v of counts.values()) if (v < min) min = v;
  return Number.isFinite(min) ? min : 0;
}

function counted(pod: PodInfo, cs: TopologySpreadConstraint[], nodes: readonly NodeInfoView[]): Counted[] {
  const keys = cs.map((c) => c.topologyKey);
  return cs.map((c) => {
    const selector = requirementsFromLabelSelector(c.labelSelector ?? null);
    const counts = countDomains(pod, c, selector, nodes, keys);
    return {
      key: c.topologyKey,
      maxSkew: c.maxSkew,
      selfMatch: matchesLabels(selector, pod.labels) ? 1 : 0,
      counts,
      min: minOf(counts, c.minDomains ?? 1),
      weight: Math.log(counts.size + 2),
    };
  });
}

/** The system default constraints: replicas of one controller, counted through the owner index. */
function ownerCounted(pod: PodInfo, nodes: readonly NodeInfoView[], view: ClusterView): Counted[] {
  const perNode = view.ownerCounts(pod.ownerUid);
  const out: Counted[] = [];
  for (const [key, maxSkew] of [
    [HOSTNAME, 3],
    [ZONE, 5],
  ] as const) {
    const counts = new Map<string, number>();
    for (const node of nodes) {
      const domain = key === HOSTNAME ? node.name : node.labels[key];
      if (domain === undefined) continue;
      counts.set(domain, (counts.get(domain) ?? 0) + (perNode?.get(node.name) ?? 0));
    }
    if (counts.size > 0) out.push({ key, maxSkew, selfMatch: 1, counts, min: 0, weight: Math.log(counts.size + 2) });
  }
  return out;
}

const domainOf = (c: Counted, node: NodeInfoView) =>
  c.key === HOSTNAME && !node.labels[HOSTNAME] ? node.name : node.labels[c.key];

export const podTopologySpread: Plugin = {
  name: "PodTopologySpread",
  weight: 2,
  filter: {
    preFilter(state, pod, view) {
      const cs = constraintsOf(pod, "DoNotSchedule");
      if (cs.length === 0) return false;
      state.set(FILTER_KEY, counted(pod, cs, view.nodes()));
      return true;
    },
    filter(state, _pod, node) {
      for (const c of state.get(FILTER_KEY) as Counted[]) {
        const domain = node.labels[c.key];
        if (domain === undefined)
          return unresolvable("node(s) didn't match pod topology spread constraints (missing required label)");
        const skew = (c.counts.get(domain) ?? 0) + c.selfMatch - c.min;
        if (skew > c.maxSkew) return unschedulable("node(s) didn't match pod topology spread constraints");
      }
      return null;
    },
  },
  score: {
    preScore(state, pod, nodes, view) {
      const cs = constraintsOf(pod, "ScheduleAnyway");
      let list: Counted[] = [];
      if (cs.length > 0) list = counted(pod, cs, nodes);
      else if (pod.spread.length === 0 && pod.ownerUid) list = ownerCounted(pod, nodes, view);
      if (list.length === 0) return false;
      state.set(SCORE_KEY, list);
      return true;
    },
    score(state, _pod, node) {
      let s = 0;
      for (const c of state.get(SCORE_KEY) as Counted[]) {
        const domain = domainOf(c, node);
        if (domain === undefined) continue;
        s += (c.counts.get(domain) ?? 0) * c.weight + (c.maxSkew - 1);
      }
      return Math.round(s);
    },
    normalize(_state, scores) {
      let max = 0;
      let min = Number.POSITIVE_INFINITY;
      for (const s of scores) {
        if (s > max) max = s;
        if (s < min) min = s;
      }
      for (let i = 0; i < scores.length; i++)
        scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    },
  },
};
