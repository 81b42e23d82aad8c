// The FailedScheduling message, as upstream's FitError.Error(): "0/N nodes are available: "
// then each reason with the number of nodes it rejected, sorted as strings, then what
// preemption had to say.
import type { Status } from "./types.ts";

export const NO_NODES = "no nodes available to schedule pods";

/** "3 Insufficient cpu, 1 node(s) were unschedulable" sorted; one count per node and reason. */
export function reasonHistogram(statuses: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}

export function fitErrorMessage(
  numAllNodes: number,
  statuses: Iterable<Status>,
  postFilterMsg = "",
  preFilterMsg = "",
): string {
  if (numAllNodes === 0) return NO_NODES;
  let msg = `0/${numAllNodes} nodes are available:`;
  // A pre-filter's rejection is the whole story: no node was filtered.
  const reasons = preFilterMsg ? [preFilterMsg] : reasonHistogram(statuses);
  if (reasons.length) msg += ` ${reasons.join(", ")}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}
