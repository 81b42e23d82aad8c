// What the pod garbage collector removes (upstream pkg/controller/podgc/gc_controller.go, pure): pods
// bound to a node that does not exist once it has stayed missing for the quarantine (gcOrphaned, with the
// DisruptionTarget condition "DeletionByPodGC"), terminating pods on a NotReady node tainted
// out-of-service (gcTerminating), and terminating pods never scheduled (gcUnscheduledTerminating). Each is
// marked Failed unless it already finished, then deleted with grace period 0.
import type { PodCondition } from "../../../kube/pod-types.ts";
import type { KubeObject } from "../../../kube/types.ts";

/** How long a node must stay missing before its pods count as orphaned (upstream's quarantineTime). */
export const QUARANTINE_MS = 40_000;
/** The taint an administrator puts on a node that is known to be down for good (TaintNodeOutOfService). */
export const OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

export const ORPHAN_CONDITION: Omit<PodCondition, "lastTransitionTime"> = {
  type: "DisruptionTarget",
  status: "True",
  reason: "DeletionByPodGC",
  message: "PodGC: node no longer exists",
};

export interface Removal {
  pod: KubeObject;
  /** Set on the pod's status with the Failed phase (orphans only). */
  condition?: Omit<PodCondition, "lastTransitionTime">;
}

export interface NodePlan {
  remove: Removal[];
  /** The node is missing: since when (kept across reconciles), and when its quarantine ends. */
  missingSince?: number;
  recheckAt?: number;
}

const isReady = (node: KubeObject) =>
  (node.status?.conditions ?? []).some(
    (c: { type?: string; status?: string }) => c.type === "Ready" && c.status === "True",
  );

export const isOutOfService = (node: KubeObject) =>
  !isReady(node) && (node.spec?.taints ?? []).some((t: { key?: string }) => t.key === OUT_OF_SERVICE_TAINT);

/**
 * One node's pods. `node` undefined: the node is missing — its pods go once it has been missing for the
 * quarantine, counted from `missingSince` (when first seen missing; now when not yet seen).
 */
export function planNode(input: {
  node: KubeObject | undefined;
  pods: readonly KubeObject[];
  missingSince: number | undefined;
  now: number;
  quarantineMs?: number;
}): NodePlan {
  const { node, pods, now } = input;
  if (node) {
    if (!isOutOfService(node)) return { remove: [] };
    return { remove: pods.filter((p) => p.metadata.deletionTimestamp).map((pod) => ({ pod })) };
  }
  if (pods.length === 0) return { remove: [] };
  const since = input.missingSince ?? now;
  const end = since + (input.quarantineMs ?? QUARANTINE_MS);
  if (now < end) return { remove: [], missingSince: since, recheckAt: end };
  return { remove: pods.map((pod) => ({ pod, condition: ORPHAN_CONDITION })) };
}

/** Terminating pods no node was ever assigned: nothing would finish them. */
export function planUnscheduled(pods: readonly KubeObject[]): Removal[] {
  return pods.filter((p) => p.metadata.deletionTimestamp && !p.spec?.nodeName).map((pod) => ({ pod }));
}

/**
 * The status PodGC writes before the delete: Failed (so an orphan does not stay Running forever) with the
 * condition set as apipod.UpdatePodCondition does (lastTransitionTime kept when the status is unchanged);
 * undefined for a pod that already finished.
 */
export function failedStatus(
  status: Record<string, unknown> | undefined,
  condition: Removal["condition"],
  now: string,
): Record<string, unknown> | undefined {
  if (status?.phase === "Succeeded" || status?.phase === "Failed") return undefined;
  const next: Record<string, unknown> = { ...(status ?? {}), phase: "Failed" };
  if (condition) {
    const conditions = (status?.conditions ?? []) as PodCondition[];
    const existing = conditions.find((c) => c.type === condition.type);
    const lastTransitionTime = existing?.status === condition.status ? (existing.lastTransitionTime ?? now) : now;
    next.conditions = [...conditions.filter((c) => c.type !== condition.type), { ...condition, lastTransitionTime }];
  }
  return next;
}
