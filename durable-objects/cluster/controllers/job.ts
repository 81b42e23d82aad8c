// The Job controller (upstream pkg/controller/job): runs pods from the template until enough
// succeed (completions, or any success in work-queue mode), at most parallelism at a time; fails
// the job past backoffLimit or activeDeadlineSeconds; suspends and resumes. Each pod carries the
// batch.kubernetes.io/job-tracking finalizer until its result is in status.succeeded/failed; the
// count and the finalizer's removal commit in one store transaction, so deleting finished pods
// never loses a count and no pod is counted twice.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { claim } from "./claim.ts";
import { isIndexed, missingIndexes, parseIndexes, podIndex, withIndex } from "./job-indexed.ts";
import {
  COMPLETIONS_REACHED,
  type Finish,
  failureBackoff,
  failureOf,
  hasTrackingFinalizer,
  isCountable,
  isJobFinished,
  pendingFinish,
  podOutcome,
  TRACKING_FINALIZER,
  wantActive,
} from "./job-status.ts";
import { type BackoffRecord, removeTracking, trackJob } from "./job-tracking.ts";
import { podsToDelete } from "./pod-ranking.ts";
import { controllerRef, isPodActive } from "./pods.ts";
import { dependentKeys, podFromTemplate, safeSelector } from "./replicaset.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const JOB_CONTROLLER = "job-controller";
export const JOBS = "jobs.batch";
/** Pods created or deleted in one sync at most. */
const BURST = 500;

export class JobController implements Controller {
  readonly name = JOB_CONTROLLER;
  #w: Writer;
  /** In memory, as upstream's backoff store: an evicted object forgets pending back-offs. */
  #backoff = new Map<string, BackoffRecord>();

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, JOB_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key } = change.entry;
    if (resource === JOBS) return [key];
    if (resource === "pods") return dependentKeys(this.#w.ctx, JOBS, "Job", change);
    return [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(JOBS).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const job = this.#w.entry(key)?.object;
    if (!job) return this.#releaseOrphans(key);
    const pods = claim(this.#w, job, safeSelector(job), { resource: "pods" });
    if (isJobFinished(job) || job.metadata.deletionTimestamp) {
      this.#backoff.delete(job.metadata.uid!);
      return this.#release(pods);
    }
    const now = this.#w.ctx.now();
    this.#noteResults(job, pods, now);
    const finish = pendingFinish(job) ?? this.#finishOf(job, pods, now);
    let wait: number | undefined;
    let error: unknown;
    try {
      if (finish) this.#deletePods(job, pods.filter(isPodActive));
      else wait = this.#manage(job, pods, now);
    } catch (e) {
      error = e;
    }
    const after = this.#w.ctx.store.transaction(() => trackJob(this.#w, key, finish, now));
    if (error) throw error;
    return soonest(wait, after);
  }

  /** newBackoffRecord: failures about to be counted delay replacements; a success resets. */
  #noteResults(job: KubeObject, pods: readonly KubeObject[], now: number): void {
    const { newFailures, newSuccesses } = tally(job, pods);
    const uid = job.metadata.uid!;
    if (newFailures > 0) {
      const failures = (this.#backoff.get(uid)?.failures ?? 0) + newFailures;
      this.#backoff.set(uid, { failures, last: now });
    } else if (newSuccesses > 0) this.#backoff.delete(uid);
  }

  /** The finish the pods' results lead to, before they are counted. */
  #finishOf(job: KubeObject, pods: KubeObject[], now: number): Finish | undefined {
    const { succeeded, failed, completed } = tally(job, pods);
    const active = pods.filter(isPodActive);
    const failure = failureOf(job, failed, active, now);
    if (failure) return failure;
    const completions = job.spec?.completions;
    if (isIndexed(job)) return completed.size >= Number(completions) ? COMPLETIONS_REACHED : undefined;
    if (completions != null) return succeeded >= Number(completions) ? COMPLETIONS_REACHED : undefined;
    return succeeded > 0 && active.length === 0 ? COMPLETIONS_REACHED : undefined;
  }

  /** manageJob: deletes surplus pods, creates missing ones (after any failure back-off). */
  #manage(job: KubeObject, pods: KubeObject[], now: number): number | undefined {
    const active = pods.filter(isPodActive);
    if (job.spec?.suspend === true) {
      this.#deletePods(job, active);
      return undefined;
    }
    const { succeeded, completed } = tally(job, pods);
    const want = isIndexed(job)
      ? Math.min(Number(job.spec?.parallelism ?? 1), Number(job.spec?.completions) - completed.size)
      : wantActive(job.spec, active.length, succeeded);
    if (active.length > want) {
      this.#deletePods(job, podsToDelete(active, Math.min(active.length - want, BURST)));
      return undefined;
    }
    if (active.length === want) return undefined;
    const record = this.#backoff.get(job.metadata.uid!);
    const wait = record ? record.last + failureBackoff(record.failures) - now : 0;
    if (wait > 0) return wait;
    const count = Math.min(want - active.length, BURST);
    if (!isIndexed(job)) {
      for (let i = 0; i < count; i++) this.#createPod(job);
      return undefined;
    }
    const held = new Set(active.map(podIndex).filter((i) => i !== undefined));
    for (const index of missingIndexes(Number(job.spec?.completions), completed, held, count))
      this.#createPod(job, index);
    return undefined;
  }

  #createPod(job: KubeObject, index?: number): void {
    let pod = podFromTemplate(job, job.spec?.template);
    pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), TRACKING_FINALIZER];
    if (index !== undefined) pod = withIndex(pod, job.metadata.name!, index);
    let created: KubeObject;
    try {
      created = this.#w.create("pods", pod);
    } catch (e) {
      const message = `Error creating: ${(e as Error).message}`;
      this.#w.events.record(job, { type: "Warning", reason: "FailedCreate", message });
      throw e;
    }
    const message = `Created pod: ${created.metadata.name}`;
    this.#w.events.record(job, { type: "Normal", reason: "SuccessfulCreate", message });
  }

  /** Deletes pods; their finalizers hold them until trackJob counts them. */
  #deletePods(job: KubeObject, pods: readonly KubeObject[]): void {
    for (const pod of pods) {
      this.#w.delete("pods", pod);
      const message = `Deleted pod: ${pod.metadata.name}`;
      this.#w.events.record(job, { type: "Normal", reason: "SuccessfulDelete", message });
    }
  }

  /** A finished or deleted job counts nothing more: its pods lose the tracking finalizer. */
  #release(pods: readonly KubeObject[]): undefined {
    for (const pod of pods) if (hasTrackingFinalizer(pod)) removeTracking(this.#w, pod);
    return undefined;
  }

  /** Pods whose job is gone (key: jobs.batch/<ns>/<name>) would keep their finalizer forever. */
  #releaseOrphans(key: string): undefined {
    const [, namespace, name] = key.split("/");
    const { store } = this.#w.ctx;
    for (const { object: pod } of store.list("pods", namespace)) {
      const ref = controllerRef(pod);
      if (ref?.kind !== "Job" || ref.name !== name || !hasTrackingFinalizer(pod)) continue;
      if (store.uids.keys(ref.uid).length === 0) removeTracking(this.#w, pod);
    }
    return undefined;
  }
}

/** Counts as they will be once every settled tracked pod is counted (no finish assumed). */
export function tally(job: KubeObject, pods: readonly KubeObject[]) {
  let succeeded = Number(job.status?.succeeded ?? 0);
  let failed = Number(job.status?.failed ?? 0);
  const completions = Number(job.spec?.completions ?? 0);
  const completed = isIndexed(job) ? parseIndexes(job.status?.completedIndexes, completions) : new Set<number>();
  let newFailures = 0;
  let newSuccesses = 0;
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod) || !isCountable(pod, undefined)) continue;
    const outcome = podOutcome(pod, job, undefined);
    if (outcome === "failed") newFailures++;
    if (outcome !== "succeeded") continue;
    newSuccesses++;
    const index = podIndex(pod);
    if (index !== undefined && index < completions) completed.add(index);
  }
  succeeded += newSuccesses;
  failed += newFailures;
  return { succeeded, failed, completed, newFailures, newSuccesses };
}

function soonest(a: number | undefined, b: number | undefined): ReconcileResult | undefined {
  const ms = a === undefined ? b : b === undefined ? a : Math.min(a, b);
  return ms === undefined ? undefined : { requeueAfterMs: Math.max(0, ms) + 1 };
}
