// The taints the node lifecycle controller owns (upstream's doNoScheduleTaintingPass and
// doNoExecuteTaintingPass), pure: NoSchedule taints follow the node's conditions and
// spec.unschedulable; NoExecute taints follow Ready (False → not-ready, Unknown → unreachable) and
// carry timeAdded, from which the taint eviction controller counts tolerationSeconds. Taints the
// controller does not own (a user's) are left as they are.

import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
} from "../../../kube/well-known-taints.ts";

export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export const NOT_READY_TAINT = TAINT_NODE_NOT_READY;
export const UNREACHABLE_TAINT = TAINT_NODE_UNREACHABLE;
export const UNSCHEDULABLE_TAINT = TAINT_NODE_UNSCHEDULABLE;

/** nodeConditionToTaintKeyStatusMap: condition type → status → taint key (NoSchedule). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: NOT_READY_TAINT, Unknown: UNREACHABLE_TAINT },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

const NO_SCHEDULE_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap(Object.values), UNSCHEDULABLE_TAINT]);
const NO_EXECUTE_KEYS = new Set([NOT_READY_TAINT, UNREACHABLE_TAINT]);

const owned = (t: NodeTaint) =>
  (t.effect === "NoSchedule" && NO_SCHEDULE_KEYS.has(t.key)) ||
  (t.effect === "NoExecute" && NO_EXECUTE_KEYS.has(t.key));

interface NodeLike {
  spec?: { taints?: NodeTaint[]; unschedulable?: boolean };
  status?: { conditions?: { type: string; status: string }[] };
}

/** The NoSchedule and NoExecute taints the node's state calls for (NoExecute without timeAdded yet). */
export function wantedTaints(node: NodeLike): NodeTaint[] {
  const conditions = node.status?.conditions ?? [];
  const out: NodeTaint[] = [];
  for (const c of conditions) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: "NoSchedule" });
  }
  if (node.spec?.unschedulable === true) out.push({ key: UNSCHEDULABLE_TAINT, effect: "NoSchedule" });
  const ready = conditions.find((c) => c.type === "Ready")?.status;
  // A node that never reported Ready is left to the NoSchedule pass, as upstream's NoExecute
  // pass only acts on an observed Ready condition.
  if (ready === "False") out.push({ key: NOT_READY_TAINT, effect: "NoExecute" });
  if (ready === "Unknown") out.push({ key: UNREACHABLE_TAINT, effect: "NoExecute" });
  return out;
}

/**
 * The node's next spec.taints, or undefined when they are already right. Existing owned taints
 * keep their timeAdded; new NoExecute taints get `now`.
 */
export function nextTaints(node: NodeLike, now: string): NodeTaint[] | undefined {
  const current = node.spec?.taints ?? [];
  const wanted = wantedTaints(node);
  const same = (a: NodeTaint, b: NodeTaint) => a.key === b.key && a.effect === b.effect;
  const kept = current.filter((t) => !owned(t) || wanted.some((w) => same(w, t)));
  const added = wanted
    .filter((w) => !current.some((t) => same(w, t)))
    .map((w) => (w.effect === "NoExecute" ? { ...w, timeAdded: now } : w));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
