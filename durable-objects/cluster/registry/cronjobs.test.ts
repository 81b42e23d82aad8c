import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { cronJobs, scheduleError } from "./cronjobs.ts";

const jobTemplate = (restartPolicy = "OnFailure") => ({
  spec: { template: { spec: { containers: [{ name: "hello", image: "busybox" }], restartPolicy } } },
});

function make(spec: LooseObject, name = "hello"): KubeObject {
  const o: KubeObject = { apiVersion: "batch/v1", kind: "CronJob", metadata: { name, namespace: "default" }, spec };
  cronJobs.prepareForCreate?.(o);
  cronJobs.defaults?.(o);
  return o;
}

const texts = (spec: LooseObject, name?: string) => (cronJobs.validate?.(make(spec, name)) ?? []).map(fieldErrorText);

describe("cron job defaults", () => {
  it("fills upstream's defaults, and only pod template defaults inside the job template", () => {
    const cj = make({ schedule: "*/5 * * * *", jobTemplate: jobTemplate() });
    expect(cj.spec).toMatchObject({
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(cj.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
    expect(cj.spec.jobTemplate.spec.template.spec.dnsPolicy).toBe("ClusterFirst");
    expect(cj.status).toEqual({});
  });
});

describe("schedule parsing (robfig/cron ParseStandard)", () => {
  it.each<[string, string | undefined]>([
    ["*/5 * * * *", undefined],
    ["0 9-17 * * mon-fri", undefined],
    ["30 2 1,15 JAN,jul ?", undefined],
    ["@hourly", undefined],
    ["@every 1h30m", undefined],
    ["* * * *", "expected exactly 5 fields, found 4: [* * * *]"],
    ["   ", "expected exactly 5 fields, found 0: []"],
    ["* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ["* * * * 7", "end of range (7) above maximum (6): 7"],
    ["@fortnightly", "unrecognized descriptor: @fortnightly"],
    ["@every soon", 'failed to parse duration @every soon: time: invalid duration "soon"'],
  ])("%s", (schedule, expected) => {
    expect(scheduleError(schedule)).toBe(expected);
  });
});

describe("cron job validation", () => {
  it.each<[string, LooseObject, string[]]>([
    ["a valid cron job", { schedule: "0 * * * *", jobTemplate: jobTemplate() }, []],
    ["no schedule", { jobTemplate: jobTemplate() }, ["spec.schedule: Required value"]],
    [
      "a bad schedule",
      { schedule: "61 * * * *", jobTemplate: jobTemplate() },
      ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ],
    [
      "a time zone in the schedule",
      { schedule: "TZ=UTC 0 * * * *", jobTemplate: jobTemplate() },
      [
        'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ],
    ],
    ["a known time zone", { schedule: "0 * * * *", timeZone: "Europe/Berlin", jobTemplate: jobTemplate() }, []],
    [
      "an unknown time zone",
      { schedule: "0 * * * *", timeZone: "Mars/Olympus", jobTemplate: jobTemplate() },
      ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
    ],
    [
      "a bad concurrency policy",
      { schedule: "0 * * * *", concurrencyPolicy: "Sometimes", jobTemplate: jobTemplate() },
      ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'],
    ],
    [
      "a job template that restarts Always",
      { schedule: "0 * * * *", jobTemplate: jobTemplate("Always") },
      ['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ],
    [
      "a selector in the job template",
      {
        schedule: "0 * * * *",
        jobTemplate: { spec: { ...jobTemplate().spec, selector: { matchLabels: { a: "b" } } } },
      },
      ['spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated'],
    ],
    [
      "negative history limits",
      { schedule: "0 * * * *", successfulJobsHistoryLimit: -1, jobTemplate: jobTemplate() },
      ["spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
    ],
  ])("%s", (_, spec, expected) => {
    expect(texts(spec)).toEqual(expected);
  });

  it("limits names to 52 characters on create", () => {
    const name = "c".repeat(53);
    expect(texts({ schedule: "0 * * * *", jobTemplate: jobTemplate() }, name)).toEqual([
      `metadata.name: Invalid value: "${name}": must be no more than 52 characters`,
    ]);
  });
});

describe("cron job table", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  it("prints upstream's cells", () => {
    const cj = make({ schedule: "*/5 * * * *", jobTemplate: jobTemplate() });
    cj.metadata.creationTimestamp = "2024-05-01T10:00:00Z";
    expect(cronJobs.columns.map((c) => [c.name, c.cell(cj, { now })])).toEqual([
      ["Schedule", "*/5 * * * *"],
      ["Timezone", "<none>"],
      ["Suspend", "False"],
      ["Active", 0],
      ["Last Schedule", "<none>"],
      ["Age", "120m"],
      ["Containers", "hello"],
      ["Images", "busybox"],
      ["Selector", "<none>"],
    ]);
    cj.status = { active: [{ name: "hello-1" }], lastScheduleTime: "2024-05-01T11:55:00Z" };
    cj.spec.timeZone = "Etc/UTC";
    expect(cronJobs.columns.slice(1, 5).map((c) => c.cell(cj, { now }))).toEqual(["Etc/UTC", "False", 1, "5m"]);
  });
});
