// A deployment's status from its ReplicaSets, and the Progressing/Available conditions as
// upstream's deployment controller sets them (reasons and messages verbatim).
import type { KubeObject } from "../../../kube/types.ts";
import { timestamp } from "../context.ts";
import { maxUnavailable, type RolloutSpec } from "./deployment-math.ts";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: status is plain JSON
type Status = Record<string, any>;

export const PROGRESSING = "Progressing";
export const AVAILABLE = "Available";
export const TIMED_OUT = "ProgressDeadlineExceeded";
export const NEW_RS_AVAILABLE = "NewReplicaSetAvailable";

export function rolloutSpec(d: KubeObject): RolloutSpec {
  const strategy = d.spec?.strategy ?? {};
  return {
    replicas: Number(d.spec?.replicas ?? 1),
    strategy: strategy.type === "Recreate" ? "Recreate" : "RollingUpdate",
    maxSurge: strategy.rollingUpdate?.maxSurge,
    maxUnavailable: strategy.rollingUpdate?.maxUnavailable,
  };
}

export function hasProgressDeadline(d: KubeObject): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return typeof s === "number" && s !== 2147483647;
}

export function getCondition(status: Status | undefined, type: string): Condition | undefined {
  return (status?.conditions ?? []).find((c: Condition) => c.type === type);
}

export function newCondition(type: string, status: Condition["status"], reason: string, message: string, now: number) {
  const at = timestamp(now);
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message } as Condition;
}

/** SetDeploymentCondition: same status and reason change nothing; same status keeps the transition time. */
export function setCondition(status: Status, cond: Condition): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  if (current && current.status === cond.status) cond.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c: Condition) => c.type !== cond.type), cond];
}

export function removeCondition(status: Status, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c: Condition) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

const sum = (sets: readonly KubeObject[], f: (rs: KubeObject) => number) => sets.reduce((n, rs) => n + f(rs), 0);
const specReplicas = (rs: KubeObject) => Number(rs.spec?.replicas ?? 0);
const statusOf = (field: string) => (rs: KubeObject) => Number(rs.status?.[field] ?? 0);

/** calculateStatus: counts summed over the sets, and the Available condition. */
export function calculateStatus(d: KubeObject, all: readonly KubeObject[], next: KubeObject | undefined, now: number) {
  const spec = rolloutSpec(d);
  const available = sum(all, statusOf("availableReplicas"));
  const counts: Record<string, number> = {
    replicas: sum(all, statusOf("replicas")),
    updatedReplicas: next ? statusOf("replicas")(next) : 0,
    readyReplicas: sum(all, statusOf("readyReplicas")),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, specReplicas) - available),
  };
  const status: Status = { observedGeneration: d.metadata.generation ?? 1 };
  // Upstream omits zero counts.
  for (const [k, v] of Object.entries(counts)) if (v) status[k] = v;
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions) status.conditions = structuredClone(d.status.conditions);
  const cond =
    available >= spec.replicas - maxUnavailable(spec)
      ? newCondition(AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
      : newCondition(
          AVAILABLE,
          "False",
          "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.",
          now,
        );
  setCondition(status, cond);
  return status;
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function isComplete(d: KubeObject, status: Status): boolean {
  const replicas = Number(d.spec?.replicas ?? 1);
  return (
    Number(status.updatedReplicas ?? 0) === replicas &&
    Number(status.replicas ?? 0) === replicas &&
    Number(status.availableReplicas ?? 0) === replicas &&
    Number(status.observedGeneration ?? 0) >= Number(d.metadata.generation ?? 1)
  );
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
export function isProgressing(d: KubeObject, status: Status): boolean {
  const old: Status = d.status ?? {};
  const n = (s: Status, f: string) => Number(s[f] ?? 0);
  return (
    n(status, "updatedReplicas") > n(old, "updatedReplicas") ||
    n(status, "replicas") - n(status, "updatedReplicas") < n(old, "replicas") - n(old, "updatedReplicas") ||
    n(status, "readyReplicas") > n(old, "readyReplicas") ||
    n(status, "availableReplicas") > n(old, "availableReplicas")
  );
}

/** DeploymentTimedOut: no progress recorded for progressDeadlineSeconds. */
export function isTimedOut(d: KubeObject, status: Status, now: number): boolean {
  const cond = getCondition(status, PROGRESSING);
  if (!cond || cond.reason === NEW_RS_AVAILABLE) return false;
  if (cond.reason === TIMED_OUT) return true;
  const from = Date.parse(cond.lastUpdateTime ?? "");
  return !Number.isNaN(from) && from + Number(d.spec.progressDeadlineSeconds) * 1000 < now;
}

/** The Progressing condition part of syncRolloutStatus, applied to `status`. */
export function updateProgress(d: KubeObject, status: Status, next: KubeObject | undefined, now: number): void {
  if (!hasProgressDeadline(d)) {
    removeCondition(status, PROGRESSING);
    return;
  }
  const current = getCondition(d.status, PROGRESSING);
  const complete = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE;
  if (complete) return;
  const name = d.metadata.name;
  const rs = next?.metadata.name;
  if (isComplete(d, status)) {
    const msg = rs
      ? `ReplicaSet "${rs}" has successfully progressed.`
      : `Deployment "${name}" has successfully progressed.`;
    setCondition(status, newCondition(PROGRESSING, "True", NEW_RS_AVAILABLE, msg, now));
  } else if (isProgressing(d, status)) {
    const msg = rs ? `ReplicaSet "${rs}" is progressing.` : `Deployment "${name}" is progressing.`;
    const cond = newCondition(PROGRESSING, "True", "ReplicaSetUpdated", msg, now);
    if (current?.status === "True") cond.lastTransitionTime = current.lastTransitionTime;
    removeCondition(status, PROGRESSING);
    setCondition(status, cond);
  } else if (isTimedOut(d, status, now)) {
    const msg = rs
      ? `ReplicaSet "${rs}" has timed out progressing.`
      : `Deployment "${name}" has timed out progressing.`;
    setCondition(status, newCondition(PROGRESSING, "False", TIMED_OUT, msg, now));
  }
}

/** requeueStuckDeployment: when to look again to notice a missed progress deadline. */
export function stuckRequeue(d: KubeObject, status: Status, now: number): number | undefined {
  const cond = getCondition(status, PROGRESSING);
  if (!hasProgressDeadline(d) || !cond || isComplete(d, status) || cond.reason === TIMED_OUT) return undefined;
  const from = Date.parse(cond.lastUpdateTime ?? "");
  if (Number.isNaN(from)) return undefined;
  return Math.max(1000, from + Number(d.spec.progressDeadlineSeconds) * 1000 - now + 1000);
}
