// NodeResourcesFit: the pod's requests must fit in what the node has left (pods, cpu, memory,
// ephemeral-storage, extended resources), with upstream's "Insufficient <name>" reasons; its
// score is the LeastAllocated strategy over cpu and memory (weights 1 and 1).
import { MAX_NODE_SCORE, type NodeInfoView, type PodInfo, type Plugin, type Status } from "../types.ts";

/** The common case without allocating: cpu, memory and pod count fit, nothing else asked. */
function fitsQuickly(pod: PodInfo, node: NodeInfoView): boolean {
  const want = pod.requests;
  return (
    node.pods.size < node.allowedPods &&
    want.cpu <= node.allocatable.cpu - node.requested.cpu &&
    want.memory <= node.allocatable.memory - node.requested.memory &&
    want.ephemeral === 0 &&
    isEmpty(want.scalar)
  );
}

/** fitsRequest: every resource the pod asks for, in upstream's order. */
export function insufficient(pod: PodInfo, node: NodeInfoView): string[] {
  const reasons: string[] = [];
  if (node.pods.size + 1 > node.allowedPods) reasons.push("Too many pods");
  const want = pod.requests;
  const alloc = node.allocatable;
  const used = node.requested;
  if (want.cpu === 0 && want.memory === 0 && want.ephemeral === 0 && isEmpty(want.scalar)) return reasons;
  if (want.cpu > 0 && want.cpu > alloc.cpu - used.cpu) reasons.push("Insufficient cpu");
  if (want.memory > 0 && want.memory > alloc.memory - used.memory) reasons.push("Insufficient memory");
  if (want.ephemeral > 0 && want.ephemeral > alloc.ephemeral - used.ephemeral)
    reasons.push("Insufficient ephemeral-storage");
  for (const [name, n] of Object.entries(want.scalar))
    if (n > 0 && n > (alloc.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  return reasons;
}

function isEmpty(o: Record<string, number>): boolean {
  for (const _ in o) return false;
  return true;
}

/** leastRequestedScore for one resource: the share left free, 0…100. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocatedScore(pod: PodInfo, node: NodeInfoView): number {
  const cpu = leastRequested(node.nonZeroRequested.cpu + pod.nonZero.cpu, node.allocatable.cpu);
  const mem = leastRequested(node.nonZeroRequested.memory + pod.nonZero.memory, node.allocatable.memory);
  return Math.floor((cpu + mem) / 2);
}

export const nodeResourcesFit: Plugin = {
  name: "NodeResourcesFit",
  weight: 1,
  filter: {
    filter(_state, pod, node): Status | null {
      if (fitsQuickly(pod, node)) return null;
      const reasons = insufficient(pod, node);
      return reasons.length ? { reasons, unresolvable: false } : null;
    },
  },
  score: { score: (_state, pod, node) => leastAllocatedScore(pod, node) },
};
