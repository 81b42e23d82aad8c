import { describe, expect, it } from "vitest";
import { parseSchedule } from "../../../kube/cron/schedule.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { jobFromTemplate, jobName, mostRecentScheduleTime, nextScheduleDelay } from "./cronjob-times.ts";

const at = (iso: string) => Date.parse(iso);
const cronJob = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "batch/v1",
  kind: "CronJob",
  metadata: { name: "cj", namespace: "default", uid: "u1", creationTimestamp: "2024-05-01T10:00:30Z" },
  spec: { jobTemplate: { metadata: { labels: { a: "b" } }, spec: { template: {} } }, ...spec },
  status,
});
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe("mostRecentScheduleTime", () => {
  const every5 = parseSchedule("*/5 * * * *");
  it.each([
    // [status.lastScheduleTime, now, startingDeadlineSeconds, mostRecent, missed]
    [undefined, "2024-05-01T10:04:00Z", undefined, undefined, 0],
    [undefined, "2024-05-01T10:05:00Z", undefined, "2024-05-01T10:05:00.000Z", 1],
    [undefined, "2024-05-01T10:12:00Z", undefined, "2024-05-01T10:10:00.000Z", 2],
    ["2024-05-01T10:10:00Z", "2024-05-01T10:12:00Z", undefined, undefined, 0],
    [undefined, "2024-05-02T10:00:10Z", undefined, "2024-05-02T10:00:00.000Z", 288],
    // A starting deadline looks back only that far.
    [undefined, "2024-05-02T10:00:10Z", 600, "2024-05-02T10:00:00.000Z", 2],
  ])("last %s, now %s, deadline %s → %s (%d missed)", (last, now, deadline, recent, missed) => {
    const cj = cronJob({ startingDeadlineSeconds: deadline }, last ? { lastScheduleTime: last } : {});
    const r = mostRecentScheduleTime(cj, at(now), every5, true);
    expect([iso(r.mostRecent), r.missed]).toEqual([recent, missed]);
  });

  it("walks irregular schedules exactly", () => {
    const s = parseSchedule("30 6-16/4 * * 1-5"); // 6:30, 10:30, 14:30 on weekdays
    const cj = cronJob({}, { lastScheduleTime: "2024-05-03T06:30:00Z" }); // a Friday
    const r = mostRecentScheduleTime(cj, at("2024-05-06T11:00:00Z"), s, true); // Monday
    expect(iso(r.mostRecent)).toBe("2024-05-06T10:30:00.000Z");
  });

  it("follows spec.timeZone", () => {
    const cj = cronJob({ timeZone: "America/New_York" });
    const r = mostRecentScheduleTime(cj, at("2024-05-01T13:00:05Z"), parseSchedule("0 9 * * *"), true);
    expect(iso(r.mostRecent)).toBe("2024-05-01T13:00:00.000Z");
  });
});

describe("next schedule and jobs", () => {
  it("requeues just after the next time", () => {
    const cj = cronJob({}, { lastScheduleTime: "2024-05-01T10:05:00Z" });
    expect(nextScheduleDelay(cj, at("2024-05-01T10:06:00Z"), parseSchedule("*/5 * * * *"))).toBe(240_100);
  });

  it("names jobs by the scheduled minute and stamps the time in the cron job's zone", () => {
    const t = at("2024-05-01T13:00:00Z");
    expect(jobName(cronJob({}), t)).toBe(`cj-${t / 60_000}`);
    const job = jobFromTemplate(cronJob({ timeZone: "America/New_York" }), t);
    expect(job.metadata).toMatchObject({
      name: "cj-28576140",
      labels: { a: "b" },
      annotations: { "batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-05-01T09:00:00-04:00" },
      ownerReferences: [{ kind: "CronJob", name: "cj", uid: "u1", controller: true }],
    });
  });
});
