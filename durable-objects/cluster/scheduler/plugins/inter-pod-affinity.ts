// InterPodAffinity: required pod affinity and anti-affinity by topology domain, including the
// anti-affinity of pods already placed (filter), and the preferred terms of both sides (score).
import {
  type CompiledTerm,
  compileTerms,
  compileWeighted,
  preferredAffinity,
  preferredAntiAffinity,
  requiredAffinity,
  requiredAntiAffinity,
  termSelects,
} from "../pod-affinity-terms.ts";
import {
  type ClusterView,
  MAX_NODE_SCORE,
  type NodeInfoView,
  type PodInfo,
  type Plugin,
  unresolvable,
  unschedulable,
} from "../types.ts";

const FILTER_KEY = "InterPodAffinity/filter";
const SCORE_KEY = "InterPodAffinity/score";

/** Counts (or weights) per topology pair: key → value → n. */
type PairCounts = Map<string, Map<string, number>>;

function bump(counts: PairCounts, key: string, value: string | undefined, by: number): void {
  if (value === undefined) return;
  let m = counts.get(key);
  if (!m) {
    m = new Map();
    counts.set(key, m);
  }
  m.set(value, (m.get(value) ?? 0) + by);
}

const pairCount = (counts: PairCounts, key: string, labels: Record<string, string>) =>
  Object.hasOwn(labels, key) ? (counts.get(key)?.get(labels[key]) ?? 0) : 0;

interface FilterState {
  existingAnti: PairCounts;
  affinity: CompiledTerm[];
  affinityCounts: PairCounts;
  anyAffinityMatch: boolean;
  anti: CompiledTerm[];
  antiCounts: PairCounts;
  selfMatchesAffinity: boolean;
}

function* assignedPods(view: ClusterView): Generator<[PodInfo, NodeInfoView]> {
  for (const node of view.nodes()) for (const p of node.pods.values()) yield [p, node];
}

function filterState(pod: PodInfo, view: ClusterView): FilterState {
  const s: FilterState = {
    existingAnti: new Map(),
    affinity: compileTerms(pod, requiredAffinity(pod)),
    affinityCounts: new Map(),
    anyAffinityMatch: false,
    anti: compileTerms(pod, requiredAntiAffinity(pod)),
    antiCounts: new Map(),
    selfMatchesAffinity: false,
  };
  for (const existing of view.podsWithRequiredAntiAffinity()) {
    const node = view.node(existing.nodeName);
    if (!node) continue;
    for (const term of compileTerms(existing, requiredAntiAffinity(existing)))
      if (termSelects(term, pod, view)) bump(s.existingAnti, term.topologyKey, node.labels[term.topologyKey], 1);
  }
  if (s.affinity.length || s.anti.length)
    for (const [p, node] of assignedPods(view)) {
      if (s.affinity.length && s.affinity.every((t) => termSelects(t, p, view))) {
        s.anyAffinityMatch = true;
        for (const t of s.affinity) bump(s.affinityCounts, t.topologyKey, node.labels[t.topologyKey], 1);
      }
      for (const t of s.anti)
        if (termSelects(t, p, view)) bump(s.antiCounts, t.topologyKey, node.labels[t.topologyKey], 1);
    }
  s.selfMatchesAffinity = s.affinity.every((t) => termSelects(t, pod, view));
  return s;
}

function satisfiesAffinity(s: FilterState, node: NodeInfoView): boolean {
  if (s.affinity.length === 0) return true;
  const ok = s.affinity.every((t) => pairCount(s.affinityCounts, t.topologyKey, node.labels) > 0);
  if (ok) return true;
  // The first pod of a group that selects itself may go anywhere that has the topology keys.
  return (
    !s.anyAffinityMatch && s.selfMatchesAffinity && s.affinity.every((t) => Object.hasOwn(node.labels, t.topologyKey))
  );
}

export const interPodAffinity: Plugin = {
  name: "InterPodAffinity",
  weight: 2,
  filter: {
    preFilter(state, pod, view) {
      const own = requiredAffinity(pod)?.length || requiredAntiAffinity(pod)?.length;
      const others = !view.podsWithRequiredAntiAffinity()[Symbol.iterator]().next().done;
      if (!own && !others) return false;
      state.set(FILTER_KEY, filterState(pod, view));
      return true;
    },
    filter(state, _pod, node) {
      const s = state.get(FILTER_KEY) as FilterState;
      if (!satisfiesAffinity(s, node)) return unresolvable("node(s) didn't match pod affinity rules");
      for (const t of s.anti)
        if (pairCount(s.antiCounts, t.topologyKey, node.labels) > 0)
          return unschedulable("node(s) didn't match pod anti-affinity rules");
      for (const [key, values] of s.existingAnti)
        if (Object.hasOwn(node.labels, key) && (values.get(node.labels[key]) ?? 0) > 0)
          return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
      return null;
    },
  },
  score: {
    preScore(state, pod, _nodes, view) {
      const affinity = compileWeighted(pod, preferredAffinity(pod));
      const anti = compileWeighted(pod, preferredAntiAffinity(pod));
      const others = [...view.podsWithAffinity()];
      if (affinity.length === 0 && anti.length === 0 && others.length === 0) return false;
      const scores: PairCounts = new Map();
      if (affinity.length || anti.length)
        for (const [p, node] of assignedPods(view)) {
          for (const t of affinity)
            if (termSelects(t, p, view)) bump(scores, t.topologyKey, node.labels[t.topologyKey], t.weight);
          for (const t of anti)
            if (termSelects(t, p, view)) bump(scores, t.topologyKey, node.labels[t.topologyKey], -t.weight);
        }
      for (const p of others) {
        const node = view.node(p.nodeName);
        if (!node) continue;
        // Existing pods' terms count symmetrically; their required affinity with weight 1.
        for (const t of compileTerms(p, requiredAffinity(p)))
          if (termSelects(t, pod, view)) bump(scores, t.topologyKey, node.labels[t.topologyKey], 1);
        for (const t of compileWeighted(p, preferredAffinity(p)))
          if (termSelects(t, pod, view)) bump(scores, t.topologyKey, node.labels[t.topologyKey], t.weight);
        for (const t of compileWeighted(p, preferredAntiAffinity(p)))
          if (termSelects(t, pod, view)) bump(scores, t.topologyKey, node.labels[t.topologyKey], -t.weight);
      }
      state.set(SCORE_KEY, scores);
      return scores.size > 0;
    },
    score(state, _pod, node) {
      let s = 0;
      for (const [key, values] of state.get(SCORE_KEY) as PairCounts)
        if (Object.hasOwn(node.labels, key)) s += values.get(node.labels[key]) ?? 0;
      return s;
    },
    normalize(_state, scores) {
      let max = Number.NEGATIVE_INFINITY;
      let min = Number.POSITIVE_INFINITY;
      for (const s of scores) {
        if (s > max) max = s;
        if (s < min) min = s;
      }
      const diff = max - min;
      for (let i = 0; i < scores.length; i++)
        scores[i] = diff > 0 ? Math.floor((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
    },
  },
};
