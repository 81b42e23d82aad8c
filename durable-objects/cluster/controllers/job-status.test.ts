import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { formatIndexes, missingIndexes, parseIndexes } from "./job-indexed.ts";
import {
  BACKOFF_LIMIT_EXCEEDED,
  DEADLINE_EXCEEDED,
  failureBackoff,
  failureOf,
  podOutcome,
  setCondition,
  wantActive,
} from "./job-status.ts";

const job = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "j", uid: "u" },
  spec,
  status,
});
const pod = (phase?: string, deleting = false): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", ...(deleting ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
  spec: {},
  status: phase ? { phase } : {},
});

describe("wantActive", () => {
  it.each([
    [{ completions: 3, parallelism: 2 }, 0, 0, 2],
    [{ completions: 3, parallelism: 2 }, 2, 2, 1],
    [{ completions: 3, parallelism: 2 }, 0, 3, 0],
    [{ completions: 3, parallelism: 5 }, 0, 1, 2],
    [{ parallelism: 4 }, 0, 0, 4], // work queue: all run until one succeeds
    [{ parallelism: 4 }, 3, 1, 3], // then no new pods, the running ones finish
  ])("%j with %d active, %d succeeded → %d", (spec, active, succeeded, want) => {
    expect(wantActive(spec, active, succeeded)).toBe(want);
  });
});

describe("failure rules", () => {
  const now = Date.parse("2024-01-01T00:01:00Z");
  it.each([
    [{ backoffLimit: 6 }, 6, undefined],
    [{ backoffLimit: 6 }, 7, BACKOFF_LIMIT_EXCEEDED],
    [{}, 7, BACKOFF_LIMIT_EXCEEDED], // default 6
    [{ backoffLimit: 0 }, 1, BACKOFF_LIMIT_EXCEEDED],
    [{ activeDeadlineSeconds: 60 }, 0, DEADLINE_EXCEEDED],
    [{ activeDeadlineSeconds: 61 }, 0, undefined],
    [{ activeDeadlineSeconds: 1, suspend: true }, 0, undefined],
  ])("%j with %d failed → %o", (spec, failed, finish) => {
    expect(failureOf(job(spec, { startTime: "2024-01-01T00:00:00Z" }), failed, [], now)).toBe(finish);
  });

  it.each([
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [4, 80_000],
    [10, 600_000],
    [100, 600_000],
  ])("back-off after %d failures is %d ms", (failures, ms) => expect(failureBackoff(failures)).toBe(ms));

  it.each([
    ["Succeeded", false, {}, undefined, "succeeded"],
    ["Failed", false, {}, undefined, "failed"],
    ["Running", true, {}, undefined, "failed"], // deleted before it succeeded
    ["Running", true, { podReplacementPolicy: "Failed" }, undefined, undefined],
    ["Running", true, { suspend: true }, undefined, undefined],
    ["Running", false, {}, BACKOFF_LIMIT_EXCEEDED, "failed"],
    ["Succeeded", false, {}, BACKOFF_LIMIT_EXCEEDED, "failed"],
  ])("a %s pod (deleting %s) of %j finishing %o counts as %s", (phase, deleting, spec, finish, outcome) => {
    expect(podOutcome(pod(phase, deleting), job(spec), finish)).toBe(outcome);
  });
});

describe("conditions", () => {
  const t0 = Date.parse("2024-01-01T00:00:00Z");
  it("adds, keeps and replaces conditions; never adds a False one", () => {
    const added = setCondition([], "Suspended", "True", "JobSuspended", "Job suspended", t0);
    expect(added).toEqual([
      {
        type: "Suspended",
        status: "True",
        reason: "JobSuspended",
        message: "Job suspended",
        lastProbeTime: "2024-01-01T00:00:00Z",
        lastTransitionTime: "2024-01-01T00:00:00Z",
      },
    ]);
    expect(setCondition(added, "Suspended", "True", "JobSuspended", "Job suspended", t0 + 5000)).toBe(added);
    const resumed = setCondition(added, "Suspended", "False", "JobResumed", "Job resumed", t0 + 5000);
    expect(resumed[0]).toMatchObject({ status: "False", lastTransitionTime: "2024-01-01T00:00:05Z" });
    expect(setCondition([], "Suspended", "False", "JobResumed", "Job resumed", t0)).toEqual([]);
  });
});

describe("indexes", () => {
  it.each([
    ["0-2,5", 10, [0, 1, 2, 5], "0-2,5"],
    ["1,3,4,5,7", 10, [1, 3, 4, 5, 7], "1,3-5,7"],
    ["0-9", 3, [0, 1, 2], "0-2"],
    ["", 3, [], ""],
    ["x,2", 3, [2], "2"],
  ])("%j within %d → %j → %j", (text, completions, set, formatted) => {
    const parsed = parseIndexes(text, completions);
    expect([...parsed].sort((a, b) => a - b)).toEqual(set);
    expect(formatIndexes(parsed)).toBe(formatted);
  });

  it("picks the lowest free indexes", () => {
    expect(missingIndexes(6, new Set([0, 2]), new Set([1]), 2)).toEqual([3, 4]);
    expect(missingIndexes(3, new Set([0, 1, 2]), new Set(), 2)).toEqual([]);
  });
});
