// The CronJob controller's pure time rules (upstream pkg/controller/cronjob/utils.go): the most
// recent unmet schedule time since the last one (or creation), how many were missed, when to
// look again, and the job a schedule time makes.
import { type CronSchedule, nextTime } from "../../../kube/cron/schedule.ts";
import { rfc3339In } from "../../../kube/cron/zone.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { newControllerRef } from "./pods.ts";

export const SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/** Upstream looks again this long after the next schedule time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed times than this draw a TooManyMissedTimes warning. */
export const MAX_MISSED = 100;

export interface Recent {
  /** The latest schedule time at or before now, if any was missed since `earliest`. */
  mostRecent?: number;
  missed: number;
  earliest: number;
}

export const timeZoneOf = (cj: KubeObject): string => cj.spec?.timeZone ?? "UTC";

/** mostRecentScheduleTime: the schedule times between the last one (or creation) and now. */
export function mostRecentScheduleTime(cj: KubeObject, now: number, s: CronSchedule, withDeadline: boolean): Recent {
  const tz = timeZoneOf(cj);
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? "");
  if (Number.isNaN(earliest)) earliest = now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (withDeadline && deadline != null) earliest = Math.max(earliest, now - Number(deadline) * 1000);
  const t1 = nextTime(s, earliest, tz);
  if (t1 === undefined || t1 > now) return { missed: 0, earliest };
  const t2 = nextTime(s, t1, tz);
  if (t2 === undefined || t2 > now) return { mostRecent: t1, missed: 1, earliest };
  // As upstream: estimate the count from the first interval, then walk the last stretch exactly.
  const interval = Math.max(1000, Math.round((t2 - t1) / 1000) * 1000);
  const missed = Math.floor((now - t1) / interval) + 1;
  let mostRecent = t1;
  let t = nextTime(s, t1 + (missed - 2) * interval, tz);
  while (t !== undefined && t <= now) {
    mostRecent = t;
    t = nextTime(s, t, tz);
  }
  return { mostRecent, missed, earliest };
}

/** nextScheduleTimeDuration: ms from now until just after the next schedule time. */
export function nextScheduleDelay(cj: KubeObject, now: number, s: CronSchedule): number | undefined {
  const recent = mostRecentScheduleTime(cj, now, s, false);
  const next = nextTime(s, recent.mostRecent ?? recent.earliest, timeZoneOf(cj));
  return next === undefined ? undefined : Math.max(0, next + NEXT_SCHEDULE_DELTA_MS - now);
}

/** getJobName: the name is a lock, so one schedule time never makes two jobs. */
export const jobName = (cj: KubeObject, scheduled: number) => `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;

/** getJobFromTemplate2: the template's labels, annotations and spec, under a controller reference. */
export function jobFromTemplate(cj: KubeObject, scheduled: number): KubeObject {
  const template = cj.spec?.jobTemplate ?? {};
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobName(cj, scheduled),
      namespace: cj.metadata.namespace,
      labels: { ...template.metadata?.labels },
      annotations: { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP]: rfc3339In(scheduled, timeZoneOf(cj)) },
      ownerReferences: [newControllerRef(cj)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}
