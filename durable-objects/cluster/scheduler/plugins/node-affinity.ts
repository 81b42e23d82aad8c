// NodeAffinity: spec.nodeSelector and required node affinity terms (filter); the weights of
// the preferred terms a node matches (score).
import { anyTermMatches, selectorMatches, termMatches } from "../node-selector.ts";
import { defaultNormalize, type PodInfo, type Plugin, unresolvable } from "../types.ts";

const REASON = "node(s) didn't match Pod's node affinity/selector";

const requiredTerms = (pod: PodInfo) =>
  pod.affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
const preferred = (pod: PodInfo) => pod.affinity.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];

/** Whether the pod's selector and required terms admit a node with these labels. */
export function nodeAffinityMatches(pod: PodInfo, labels: Record<string, string>, name: string): boolean {
  if (!selectorMatches(pod.nodeSelector, labels)) return false;
  const terms = requiredTerms(pod);
  return terms === undefined || anyTermMatches(terms, labels, name);
}

export const nodeAffinity: Plugin = {
  name: "NodeAffinity",
  weight: 2,
  filter: {
    preFilter: (_state, pod) => Object.keys(pod.nodeSelector).length > 0 || requiredTerms(pod) !== undefined,
    filter: (_state, pod, node) => (nodeAffinityMatches(pod, node.labels, node.name) ? null : unresolvable(REASON)),
  },
  score: {
    preScore: (_state, pod) => preferred(pod).length > 0,
    score(_state, pod, node) {
      let sum = 0;
      for (const p of preferred(pod))
        if (p.weight && termMatches(p.preference, node.labels, node.name)) sum += p.weight;
      return sum;
    },
    normalize: (_state, scores) => defaultNormalize(scores, false),
  },
};
