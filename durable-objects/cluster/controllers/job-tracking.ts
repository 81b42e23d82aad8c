// trackJobStatusAndRemoveFinalizers, in one store transaction: settled pods still carrying the
// tracking finalizer are counted into status.succeeded/failed (or completedIndexes) and lose the
// finalizer together; then the status is rebuilt from the pods that remain: active, ready,
// terminating, start time, Suspended, and the finish (interim condition, then the terminal one
// once no pod is terminating).
import type { KubeObject } from "../../../kube/types.ts";
import { timestamp } from "../context.ts";
import { formatIndexes, isIndexed, parseIndexes, podIndex } from "./job-indexed.ts";
import {
  condition,
  deadlineLeft,
  type Finish,
  hasTrackingFinalizer,
  isCountable,
  isTerminal,
  type JobCondition,
  jobStatus,
  podOutcome,
  setCondition,
  TRACKING_FINALIZER,
} from "./job-status.ts";
import { controllerRef, isPodActive, isPodReady } from "./pods.ts";
import type { Writer } from "./writes.ts";

const JOBS = "jobs.batch";

/** Consecutive pod failures since the last success, and when the last was counted. */
export interface BackoffRecord {
  failures: number;
  last: number;
}

export function removeTracking(w: Writer, pod: KubeObject): KubeObject {
  const next = structuredClone(pod);
  next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
  if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
  return w.update("pods", pod, next);
}

function ownedPods(w: Writer, job: KubeObject): KubeObject[] {
  const uid = job.metadata.uid;
  return w.ctx.store
    .list("pods", job.metadata.namespace)
    .map((e) => e.object)
    .filter((p) => controllerRef(p)?.uid === uid);
}

/** Counts settled pods into the job's counters, removing their finalizers; returns the new counters. */
function countSettled(w: Writer, job: KubeObject, finish: Finish | undefined) {
  let succeeded = Number(job.status?.succeeded ?? 0);
  let failed = Number(job.status?.failed ?? 0);
  const completions = Number(job.spec?.completions ?? 0);
  const completed = parseIndexes(job.status?.completedIndexes, completions);
  for (const pod of ownedPods(w, job)) {
    if (!hasTrackingFinalizer(pod) || !isCountable(pod, finish)) continue;
    const outcome = podOutcome(pod, job, finish);
    if (outcome === "succeeded") {
      const index = podIndex(pod);
      if (!isIndexed(job)) succeeded++;
      else if (index !== undefined && index < completions) completed.add(index);
    } else if (outcome === "failed") {
      failed++;
    }
    removeTracking(w, pod);
  }
  if (isIndexed(job)) succeeded = completed.size;
  return { succeeded, failed, completed };
}

interface Step {
  conditions: JobCondition[];
  startTime?: string;
  completionTime?: string;
}

/** Suspended True while suspended; False (resumed, with a new start time) after. */
function suspension(w: Writer, job: KubeObject, step: Step, now: number): void {
  const suspended = job.spec?.suspend === true;
  const was = condition({ conditions: step.conditions }, "Suspended")?.status === "True";
  if (suspended && !was) {
    step.conditions = setCondition(step.conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
    w.events.record(job, { type: "Normal", reason: "Suspended", message: "Job suspended" });
  } else if (!suspended && was) {
    step.conditions = setCondition(step.conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
    step.startTime = timestamp(now);
    w.events.record(job, { type: "Normal", reason: "Resumed", message: "Job resumed" });
  }
  if (!suspended && !step.startTime) step.startTime = timestamp(now);
}

/** The interim condition at once; the terminal one (and its event) when nothing is terminating. */
function finishing(w: Writer, job: KubeObject, step: Step, finish: Finish, terminating: number, now: number): void {
  step.conditions = setCondition(step.conditions, finish.interim, "True", finish.reason, finish.message, now);
  if (terminating > 0) return;
  step.conditions = setCondition(step.conditions, finish.terminal, "True", finish.reason, finish.message, now);
  if (finish.terminal === "Complete") {
    step.completionTime = timestamp(now);
    w.events.record(job, { type: "Normal", reason: "Completed", message: "Job completed" });
  } else w.events.record(job, { type: "Warning", reason: finish.reason, message: finish.message });
}

/** Counts, finalizers and status for the job at `key`; returns ms until its active deadline. */
export function trackJob(w: Writer, key: string, finish: Finish | undefined, now: number): number | undefined {
  const job = w.entry(key)?.object;
  if (!job) return undefined;
  const { succeeded, failed, completed } = countSettled(w, job, finish);
  const pods = ownedPods(w, job);
  const active = pods.filter(isPodActive);
  const terminating = pods.filter((p) => p.metadata.deletionTimestamp && !isTerminal(p)).length;
  const step: Step = { conditions: job.status?.conditions ?? [], startTime: job.status?.startTime };
  suspension(w, job, step, now);
  if (finish) finishing(w, job, step, finish, terminating, now);
  const extra: Record<string, unknown> = { conditions: step.conditions };
  if (step.startTime) extra.startTime = step.startTime;
  if (step.completionTime) extra.completionTime = step.completionTime;
  if (isIndexed(job) && completed.size > 0) extra.completedIndexes = formatIndexes(completed);
  const counts = { active: active.length, ready: active.filter(isPodReady).length, terminating, succeeded, failed };
  const written = w.updateStatus(JOBS, job, jobStatus(job.status, counts, extra));
  return finish ? undefined : deadlineLeft(written, now);
}
