// TaintToleration: NoSchedule and NoExecute taints must be tolerated (filter); untolerated
// PreferNoSchedule taints lower a node's score (fewest is best).
import { tolerates, untoleratedReason, untoleratedTaint } from "../taints.ts";
import { defaultNormalize, type Plugin, type Toleration, unresolvable } from "../types.ts";

const FILTER_EFFECTS = ["NoSchedule", "NoExecute"];
const KEY = "TaintToleration";

export const taintToleration: Plugin = {
  name: KEY,
  weight: 3,
  filter: {
    filter(_state, pod, node) {
      if (node.taints.length === 0) return null;
      const taint = untoleratedTaint(node.taints, pod.tolerations, FILTER_EFFECTS);
      return taint ? unresolvable(untoleratedReason(taint)) : null;
    },
  },
  score: {
    preScore(state, pod) {
      state.set(
        KEY,
        pod.tolerations.filter((t) => !t.effect || t.effect === "PreferNoSchedule"),
      );
      return true;
    },
    score(state, _pod, node) {
      if (node.taints.length === 0) return 0;
      const tolerations = state.get(KEY) as Toleration[];
      let n = 0;
      for (const t of node.taints) if (t.effect === "PreferNoSchedule" && !tolerates(tolerations, t)) n++;
      return n;
    },
    normalize: (_state, scores) => defaultNormalize(scores, true),
  },
};
