// PodDisruptionBudget arithmetic (upstream pkg/controller/disruption, pure): the expected pod
// count and desired healthy count from minAvailable/maxUnavailable, healthy pods (ready, not being
// deleted, not recently evicted), the disrupted-pods map kept until the pod is gone or the
// two-minute deletion timeout passes, and the status with its DisruptionAllowed condition.
import { scaledValue } from "./deployment-math.ts";

/** upstream's DeletionTimeout: an evicted pod not deleted by then counts as healthy again. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export interface BudgetSpec {
  minAvailable?: number | string | null;
  maxUnavailable?: number | string | null;
}

export interface PodFacts {
  name: string;
  ready: boolean;
  deleting: boolean;
  /** Uid of the pod's controller (after following a ReplicaSet to its Deployment); undefined: unmanaged. */
  controllerUid?: string;
}

export interface Expected {
  expectedCount: number;
  desiredHealthy: number;
  /** Names of pods without a controller, reported by an event. */
  unmanaged: string[];
}

/**
 * getExpectedPodCount: an integer minAvailable counts the matching pods; otherwise the expected
 * count is the sum of the pods' controllers' replicas (`scaleOf` by controller uid), and percents
 * round up.
 */
export function expectedPodCount(
  spec: BudgetSpec,
  pods: readonly PodFacts[],
  scaleOf: (uid: string) => number,
): Expected {
  const has = (v: unknown) => v !== undefined && v !== null;
  const unmanaged = pods.filter((p) => p.controllerUid === undefined).map((p) => p.name);
  const expectedScale = () => {
    const uids = new Set(pods.flatMap((p) => (p.controllerUid === undefined ? [] : [p.controllerUid])));
    let sum = 0;
    for (const uid of uids) sum += scaleOf(uid);
    return sum;
  };
  if (has(spec.maxUnavailable)) {
    const expectedCount = expectedScale();
    const maxUnavailable = scaledValue(spec.maxUnavailable as number | string, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanaged };
  }
  if (typeof spec.minAvailable === "number")
    return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanaged: [] };
  if (typeof spec.minAvailable === "string") {
    const expectedCount = expectedScale();
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanaged };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanaged: [] };
}

export interface Disrupted {
  /** The entries to keep in status.disruptedPods. */
  kept: Record<string, string>;
  /** Pods evicted but still not deleted after the timeout. */
  overdue: string[];
  /** When the earliest kept entry times out (ms), for a recheck. */
  recheckAt?: number;
}

/** buildDisruptedPodMap: entries of live, not-yet-deleting pods within the deletion timeout. */
export function disruptedPods(
  pods: readonly PodFacts[],
  stored: Record<string, string> | undefined,
  now: number,
): Disrupted {
  const kept: Record<string, string> = {};
  const overdue: string[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const at = stored?.[pod.name];
    if (pod.deleting || at === undefined) continue;
    const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (Number.isNaN(expires) || expires < now) {
      overdue.push(pod.name);
      continue;
    }
    kept[pod.name] = at;
    if (recheckAt === undefined || expires < recheckAt) recheckAt = expires;
  }
  return { kept, overdue, recheckAt };
}

/** countHealthyPods: ready, not being deleted, not in the disrupted map. */
export function currentHealthy(pods: readonly PodFacts[], disrupted: Record<string, string>): number {
  return pods.filter((p) => p.ready && !p.deleting && disrupted[p.name] === undefined).length;
}

/** disruptionsAllowed: the healthy surplus, never negative, none when nothing is expected. */
export function disruptionsAllowed(healthy: number, desired: number, expected: number): number {
  const allowed = healthy - desired;
  return expected <= 0 || allowed <= 0 ? 0 : allowed;
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

/**
 * UpdateDisruptionAllowedCondition (and failSafe's SyncFailed): sets DisruptionAllowed, keeping
 * lastTransitionTime when the status does not change, as meta.SetStatusCondition does.
 */
export function allowedCondition(
  previous: readonly Condition[] | undefined,
  allowed: number,
  now: string,
  observedGeneration: number,
  failure?: string,
): Condition[] {
  const status = allowed > 0 && !failure ? "True" : "False";
  const reason = failure ? "SyncFailed" : allowed > 0 ? "SufficientPods" : "InsufficientPods";
  const old = previous?.find((c) => c.type === "DisruptionAllowed");
  const next: Condition = {
    type: "DisruptionAllowed",
    status,
    reason,
    message: failure ?? "",
    observedGeneration,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
  };
  return [...(previous ?? []).filter((c) => c.type !== "DisruptionAllowed"), next];
}
