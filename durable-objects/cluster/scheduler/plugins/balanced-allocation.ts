// NodeResourcesBalancedAllocation: favours nodes whose cpu and memory would be used in equal
// shares after placing the pod (1 − standard deviation of the fractions). Best-effort pods skip it.
import { MAX_NODE_SCORE, type NodeInfoView, type PodInfo, type Plugin } from "../types.ts";

export function balancedScore(pod: PodInfo, node: NodeInfoView): number {
  const alloc = node.allocatable;
  const cpu = alloc.cpu ? Math.min(1, (node.requested.cpu + pod.requests.cpu) / alloc.cpu) : 1;
  const mem = alloc.memory ? Math.min(1, (node.requested.memory + pod.requests.memory) / alloc.memory) : 1;
  // With two resources the standard deviation is half their difference.
  const std = Math.abs(cpu - mem) / 2;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

export const balancedAllocation: Plugin = {
  name: "NodeResourcesBalancedAllocation",
  weight: 1,
  score: {
    preScore: (_state, pod) => pod.requests.cpu > 0 || pod.requests.memory > 0,
    score: (_state, pod, node) => balancedScore(pod, node),
  },
};
