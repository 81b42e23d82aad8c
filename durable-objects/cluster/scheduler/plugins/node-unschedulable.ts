// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import { TAINT_NODE_UNSCHEDULABLE } from "../../../../kube/well-known-taints.ts";
import { tolerates } from "../taints.ts";
import { type Plugin, unresolvable } from "../types.ts";

const UNSCHEDULABLE_TAINT = { key: TAINT_NODE_UNSCHEDULABLE, effect: "NoSchedule" };

export const nodeUnschedulable: Plugin = {
  name: "NodeUnschedulable",
  filter: {
    filter(_state, pod, node) {
      if (!node.unschedulable || tolerates(pod.tolerations, UNSCHEDULABLE_TAINT)) return null;
      return unresolvable("node(s) were unschedulable");
    },
  },
};
