// The CronJob controller (upstream pkg/controller/cronjob, v2): keeps status.active in step with
// its jobs, records lastSuccessfulTime, starts a job for the most recent unmet schedule time
// (respecting suspend, startingDeadlineSeconds and concurrencyPolicy), prunes finished jobs past
// the history limits, and asks to be looked at again just after the next schedule time.
import { type CronSchedule, CronParseError, parseSchedule } from "../../../kube/cron/schedule.ts";
import { isKnownTimeZone } from "../../../kube/cron/zone.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { timestamp } from "../context.ts";
import { objectKey } from "../store/keys.ts";
import type { Change } from "../store/object-store.ts";
import { jobFromTemplate, jobName, MAX_MISSED, mostRecentScheduleTime, nextScheduleDelay } from "./cronjob-times.ts";
import { finishedCondition } from "./job-status.ts";
import { controllerRef } from "./pods.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const CRONJOB_CONTROLLER = "cronjob-controller";
const CRONJOBS = "cronjobs.batch";
const JOBS = "jobs.batch";

interface JobRef {
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  apiVersion: string;
  resourceVersion?: string;
}

const refOf = (job: KubeObject): JobRef => ({
  kind: "Job",
  namespace: job.metadata.namespace,
  name: job.metadata.name!,
  uid: job.metadata.uid!,
  apiVersion: "batch/v1",
  resourceVersion: job.metadata.resourceVersion,
});

const rfc1123z = (ms: number) => new Date(ms).toUTCString().replace("GMT", "+0000");

export class CronJobController implements Controller {
  readonly name = CRONJOB_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, CRONJOB_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    if (resource === CRONJOBS) return change.type === "DELETED" ? [] : [key];
    if (resource !== JOBS) return [];
    const ref = controllerRef(object);
    return ref?.kind === "CronJob" ? [objectKey(CRONJOBS, object.metadata.namespace, ref.name)] : [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(CRONJOBS).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const cj = this.#w.entry(key)?.object;
    if (!cj) return undefined;
    const now = this.#w.ctx.now();
    const jobs = this.#childJobs(cj);
    const status = structuredClone(cj.status ?? {});
    this.#syncActive(cj, status, jobs);
    let requeue: number | undefined;
    if (!cj.metadata.deletionTimestamp) requeue = this.#schedule(cj, status, jobs, now);
    this.#w.updateStatus(CRONJOBS, cj, tidy(status));
    if (!cj.metadata.deletionTimestamp) this.#cleanupFinished(cj, this.#childJobs(cj));
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  #childJobs(cj: KubeObject): KubeObject[] {
    return this.#w.ctx.store
      .list(JOBS, cj.metadata.namespace)
      .map((e) => e.object)
      .filter((j) => controllerRef(j)?.uid === cj.metadata.uid);
  }

  /** Finished jobs leave status.active (SawCompletedJob); vanished ones too (MissingJob). */
  #syncActive(cj: KubeObject, status: KubeObject["status"], jobs: KubeObject[]): void {
    const active: JobRef[] = status.active ?? [];
    const byUid = new Map(jobs.map((j) => [j.metadata.uid, j]));
    for (const job of jobs) {
      const listed = active.some((r) => r.uid === job.metadata.uid);
      const done = finishedCondition(job);
      if (!listed && !done) {
        const message = `Saw a job that the controller did not create or forgot: ${job.metadata.name}`;
        this.#w.events.record(cj, { type: "Warning", reason: "UnexpectedJob", message });
      } else if (listed && done) {
        status.active = (status.active ?? []).filter((r: JobRef) => r.uid !== job.metadata.uid);
        const message = `Saw completed job: ${job.metadata.name}, condition: ${done.type}`;
        this.#w.events.record(cj, { type: "Normal", reason: "SawCompletedJob", message });
      }
      const completion = Date.parse(job.status?.completionTime ?? "");
      const last = Date.parse(status.lastSuccessfulTime ?? "");
      if (done?.type === "Complete" && !Number.isNaN(completion) && !(last >= completion))
        status.lastSuccessfulTime = job.status.completionTime;
    }
    for (const ref of status.active ?? []) {
      if (byUid.has(ref.uid)) continue;
      this.#w.events.record(cj, {
        type: "Normal",
        reason: "MissingJob",
        message: `Active job went missing: ${ref.name}`,
      });
      status.active = status.active.filter((r: JobRef) => r.uid !== ref.uid);
    }
  }

  /** Starts the job for the most recent unmet time, if due and allowed; returns the requeue delay. */
  #schedule(cj: KubeObject, status: KubeObject["status"], jobs: KubeObject[], now: number): number | undefined {
    const sched = this.#parse(cj);
    if (!sched || cj.spec?.suspend === true) return undefined;
    const recent = mostRecentScheduleTime({ ...cj, status }, now, sched, true);
    if (recent.missed > MAX_MISSED) {
      const message = `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`;
      this.#w.events.record(cj, { type: "Warning", reason: "TooManyMissedTimes", message });
    }
    const next = () => nextScheduleDelay({ ...cj, status }, now, sched);
    const scheduled = recent.mostRecent;
    if (scheduled === undefined) return next();
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline != null && scheduled + Number(deadline) * 1000 < now) {
      const message = `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`;
      this.#w.events.record(cj, { type: "Warning", reason: "MissSchedule", message });
      return next();
    }
    const name = jobName(cj, scheduled);
    const done =
      (status.active ?? []).some((r: JobRef) => r.name === name) || status.lastScheduleTime === timestamp(scheduled);
    if (done) return next();
    const policy = cj.spec?.concurrencyPolicy ?? "Allow";
    if (policy === "Forbid" && (status.active ?? []).length > 0) {
      const message = "Not starting job because prior execution is running and concurrency policy is Forbid";
      this.#w.events.record(cj, { type: "Normal", reason: "JobAlreadyActive", message });
      return next();
    }
    if (policy === "Replace")
      for (const ref of [...(status.active ?? [])]) {
        const job = jobs.find((j) => j.metadata.uid === ref.uid);
        if (job) this.#deleteJob(cj, status, job);
      }
    const created = this.#createJob(cj, scheduled);
    if (created) {
      status.active = [...(status.active ?? []), refOf(created)];
      status.lastScheduleTime = timestamp(scheduled);
    }
    return next();
  }

  #parse(cj: KubeObject): CronSchedule | undefined {
    const tz = cj.spec?.timeZone;
    if (tz != null && !isKnownTimeZone(tz)) {
      const message = `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`;
      this.#w.events.record(cj, { type: "Warning", reason: "UnknownTimeZone", message });
      return undefined;
    }
    try {
      return parseSchedule(cj.spec?.schedule ?? "");
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      const message = `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${e.message}`;
      this.#w.events.record(cj, { type: "Warning", reason: "UnparseableSchedule", message });
      return undefined;
    }
  }

  #createJob(cj: KubeObject, scheduled: number): KubeObject | undefined {
    const job = jobFromTemplate(cj, scheduled);
    if (this.#w.ctx.store.get(JOBS, cj.metadata.namespace, job.metadata.name!)) return undefined; // the name is the lock
    try {
      const created = this.#w.create(JOBS, job);
      this.#w.events.record(cj, {
        type: "Normal",
        reason: "SuccessfulCreate",
        message: `Created job ${created.metadata.name}`,
      });
      return created;
    } catch (e) {
      const message = `Error creating job: ${(e as Error).message}`;
      this.#w.events.record(cj, { type: "Warning", reason: "FailedCreate", message });
      throw e;
    }
  }

  #deleteJob(cj: KubeObject, status: KubeObject["status"], job: KubeObject): void {
    this.#w.delete(JOBS, job, { propagationPolicy: "Background" });
    if (status) status.active = (status.active ?? []).filter((r: JobRef) => r.uid !== job.metadata.uid);
    this.#w.events.record(cj, {
      type: "Normal",
      reason: "SuccessfulDelete",
      message: `Deleted job ${job.metadata.name}`,
    });
  }

  /** cleanupFinishedJobs: the oldest finished jobs past each history limit go. */
  #cleanupFinished(cj: KubeObject, jobs: KubeObject[]): void {
    const limits = { Complete: cj.spec?.successfulJobsHistoryLimit, Failed: cj.spec?.failedJobsHistoryLimit };
    for (const [type, limit] of Object.entries(limits)) {
      if (limit == null) continue;
      const finished = jobs.filter((j) => finishedCondition(j)?.type === type).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - Number(limit))))
        this.#deleteJob(cj, undefined, job);
    }
  }
}

/** byJobStartTime: oldest first; jobs not started yet last, then by name. */
function byStartTime(a: KubeObject, b: KubeObject): number {
  const ta = Date.parse(a.status?.startTime ?? "");
  const tb = Date.parse(b.status?.startTime ?? "");
  if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(ta) ? 1 : -1;
  if (ta !== tb && !Number.isNaN(ta)) return ta - tb;
  return (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

/** Upstream omits an empty active list. */
function tidy(status: KubeObject["status"]) {
  if (Array.isArray(status.active) && status.active.length === 0) delete status.active;
  return status;
}
