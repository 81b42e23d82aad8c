// Ready nodes only. Upstream's node lifecycle controller taints a node whose Ready condition
// is False with node.kubernetes.io/not-ready:NoSchedule and one whose condition is Unknown
// (or missing) with node.kubernetes.io/unreachable:NoSchedule; this plugin applies those
// taints as if present, so the outcome and the message are the ones upstream gives.
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from "../../../../kube/well-known-taints.ts";
import { tolerates, untoleratedReason } from "../taints.ts";
import { type Plugin, type Taint, unresolvable } from "../types.ts";

const NOT_READY: Taint = { key: TAINT_NODE_NOT_READY, effect: "NoSchedule" };
const UNREACHABLE: Taint = { key: TAINT_NODE_UNREACHABLE, effect: "NoSchedule" };

export const nodeReady: Plugin = {
  name: "NodeReady",
  filter: {
    filter(_state, pod, node) {
      if (node.ready === "True") return null;
      const taint = node.ready === "False" ? NOT_READY : UNREACHABLE;
      // A taint the controller already set is TaintToleration's to report.
      if (node.taints.some((t) => t.key === taint.key && t.effect === taint.effect)) return null;
      if (tolerates(pod.tolerations, taint)) return null;
      return unresolvable(untoleratedReason(taint));
    },
  },
};
