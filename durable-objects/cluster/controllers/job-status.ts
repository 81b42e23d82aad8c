// The Job controller's pure rules (upstream pkg/controller/job): conditions, which pods count as
// succeeded or failed, how many pods should run, the failure back-off, and the status shape.
import type { KubeObject } from "../../../kube/types.ts";
import { timestamp } from "../context.ts";

export const TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
export const COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

export interface JobCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** A finish a job is heading for: the interim condition first, the terminal one when pods are gone. */
export interface Finish {
  interim: "FailureTarget" | "SuccessCriteriaMet";
  terminal: "Failed" | "Complete";
  reason: string;
  message: string;
}

export const BACKOFF_LIMIT_EXCEEDED: Finish = {
  interim: "FailureTarget",
  terminal: "Failed",
  reason: "BackoffLimitExceeded",
  message: "Job has reached the specified backoff limit",
};
export const DEADLINE_EXCEEDED: Finish = {
  interim: "FailureTarget",
  terminal: "Failed",
  reason: "DeadlineExceeded",
  message: "Job was active longer than specified deadline",
};
export const COMPLETIONS_REACHED: Finish = {
  interim: "SuccessCriteriaMet",
  terminal: "Complete",
  reason: "CompletionsReached",
  message: "Reached expected number of succeeded pods",
};

export function condition(status: { conditions?: JobCondition[] } | undefined, type: string) {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

const isTrue = (status: KubeObject["status"], type: string) => condition(status, type)?.status === "True";

/** IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: KubeObject): boolean {
  return isTrue(job.status, "Complete") || isTrue(job.status, "Failed");
}

/** The finished condition (Complete or Failed, True) of a finished job. */
export function finishedCondition(job: KubeObject): JobCondition | undefined {
  return [condition(job.status, "Complete"), condition(job.status, "Failed")].find((c) => c?.status === "True");
}

/** A finish already recorded by an interim condition (the pods were still terminating). */
export function pendingFinish(job: KubeObject): Finish | undefined {
  const target = condition(job.status, "FailureTarget");
  if (target?.status === "True")
    return { interim: "FailureTarget", terminal: "Failed", reason: target.reason ?? "", message: target.message ?? "" };
  return isTrue(job.status, "SuccessCriteriaMet") ? COMPLETIONS_REACHED : undefined;
}

/**
 * ensureJobConditionStatus: sets a condition of `type` (a new transition time when anything
 * changes); a False condition is not added where none exists.
 */
export function setCondition(
  list: JobCondition[],
  type: string,
  status: JobCondition["status"],
  reason: string,
  message: string,
  now: number,
): JobCondition[] {
  const at = timestamp(now);
  const fresh: JobCondition = { type, status, lastProbeTime: at, lastTransitionTime: at, reason, message };
  const i = list.findIndex((c) => c.type === type);
  if (i < 0) return status === "False" ? list : [...list, fresh];
  const old = list[i];
  if (old.status === status && old.reason === reason && old.message === message) return list;
  return list.map((c, j) => (j === i ? fresh : c));
}

export const isTerminal = (pod: KubeObject) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** isPodFailed: Failed, or deleted before it succeeded (orphans never reach Failed). */
export function isPodFailed(pod: KubeObject, job: KubeObject): boolean {
  if (pod.status?.phase === "Failed") return true;
  if (job.spec?.podReplacementPolicy === "Failed") return false;
  return pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== "Succeeded";
}

export const hasTrackingFinalizer = (pod: KubeObject) => (pod.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);

/** What a pod adds to the counts when its tracking finalizer comes off. */
export function podOutcome(pod: KubeObject, job: KubeObject, finishing: Finish | undefined) {
  if (pod.status?.phase === "Succeeded" && finishing?.terminal !== "Failed") return "succeeded";
  // Pods a suspension deletes are not failures (they would also delay the resumed job's pods).
  if (job.spec?.suspend === true && pod.status?.phase !== "Failed") return undefined;
  // A failing job counts every pod it still tracks as failed.
  if (isPodFailed(pod, job) || finishing?.terminal === "Failed") return "failed";
  return undefined;
}

/** Whether a tracked pod's result is settled: finished, being deleted, or the job is finishing. */
export function isCountable(pod: KubeObject, finishing: Finish | undefined): boolean {
  return isTerminal(pod) || pod.metadata.deletionTimestamp !== undefined || finishing !== undefined;
}

/** How many pods should be active (NonIndexed): parallelism, capped by what is left to do. */
export function wantActive(spec: KubeObject["spec"], active: number, succeeded: number): number {
  const parallelism = Number(spec?.parallelism ?? 1);
  if (spec?.completions == null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, Number(spec.completions) - succeeded));
}

/** pastBackoffLimitOnFailure: with OnFailure, container restarts count against the limit. */
export function restartsPastLimit(job: KubeObject, active: readonly KubeObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== "OnFailure") return false;
  let restarts = 0;
  for (const pod of active) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const s of statuses) restarts += Number(s.restartCount ?? 0);
  }
  const limit = Number(job.spec?.backoffLimit ?? 6);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** The failure a job has reached, if any: the backoff limit first, then the deadline. */
export function failureOf(job: KubeObject, failed: number, active: readonly KubeObject[], now: number) {
  if (failed > Number(job.spec?.backoffLimit ?? 6) || restartsPastLimit(job, active)) return BACKOFF_LIMIT_EXCEEDED;
  const left = deadlineLeft(job, now);
  return left !== undefined && left <= 0 ? DEADLINE_EXCEEDED : undefined;
}

/** Milliseconds until activeDeadlineSeconds runs out (not while suspended or not started). */
export function deadlineLeft(job: KubeObject, now: number): number | undefined {
  const seconds = job.spec?.activeDeadlineSeconds;
  const start = Date.parse(job.status?.startTime ?? "");
  if (seconds == null || Number.isNaN(start) || job.spec?.suspend === true) return undefined;
  return start + Number(seconds) * 1000 - now;
}

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 600_000;

/** The delay before replacing pods after `failures` consecutive failures. */
export function failureBackoff(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 20));
}

export interface Counts {
  active: number;
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
}

/** The status as upstream writes it: zero counters omitted except ready and terminating. */
export function jobStatus(prev: KubeObject["status"], counts: Counts, extra: Record<string, unknown>) {
  const status: Record<string, unknown> = {};
  for (const key of ["conditions", "startTime", "completionTime"]) if (prev?.[key]) status[key] = prev[key];
  Object.assign(status, extra);
  if (counts.active) status.active = counts.active;
  if (counts.succeeded) status.succeeded = counts.succeeded;
  if (counts.failed) status.failed = counts.failed;
  status.terminating = counts.terminating;
  status.ready = counts.ready;
  status.uncountedTerminatedPods = {};
  if (Array.isArray(status.conditions) && status.conditions.length === 0) delete status.conditions;
  return status;
}
