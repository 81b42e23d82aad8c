import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { nextRevisionNumber, revisionData, revisionName, sameData, sortRevisions } from "./controller-revisions.ts";
import { statefulSetStatus } from "./statefulset-status.ts";

const rev = (name: string, revision: number, data: unknown = {}) =>
  ({ metadata: { name, creationTimestamp: "2026-01-01T00:00:00Z" }, revision, data }) as unknown as KubeObject;

describe("revision helpers", () => {
  it("wraps the template in a replacing patch without touching it", () => {
    const template = { metadata: { labels: { app: "a" } }, spec: { containers: [] } };
    expect(revisionData(template)).toEqual({ spec: { template: { ...template, $patch: "replace" } } });
    expect(template).not.toHaveProperty("$patch");
  });

  it.each([
    ["web", "abc", "web-abc"],
    ["x".repeat(300), "h", `${"x".repeat(223)}-h`],
  ])("names %s", (prefix, hash, want) => {
    expect(revisionName(prefix, hash)).toBe(want);
  });

  it("sorts by revision then name, and numbers the next one past the highest", () => {
    const list = [rev("c", 3), rev("b", 1), rev("a", 1)];
    expect(sortRevisions(list).map((r) => r.metadata.name)).toEqual(["a", "b", "c"]);
    expect(nextRevisionNumber(list)).toBe(4);
    expect(nextRevisionNumber([])).toBe(1);
  });

  it("compares data regardless of key order", () => {
    expect(sameData(rev("a", 1, { x: 1, y: 2 }), rev("b", 2, { y: 2, x: 1 }))).toBe(true);
    expect(sameData(rev("a", 1, { x: 1 }), rev("b", 2, { x: 2 }))).toBe(false);
  });
});

describe("statefulset status", () => {
  const pod = (rev: string, ready: boolean) =>
    ({
      metadata: { name: "p", labels: { "controller-revision-hash": rev } },
      status: { phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
    }) as unknown as KubeObject;
  const set = (type: string) => ({ metadata: { generation: 4 }, spec: { updateStrategy: { type } } }) as KubeObject;
  const input = { current: "r1", update: "r2", collisionCount: 0, now: Date.now() };

  it("counts per revision while rolling", () => {
    const got = statefulSetStatus(set("RollingUpdate"), [pod("r1", true), pod("r2", false)], input);
    expect(got).toMatchObject({ replicas: 2, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1 });
    expect(got).toMatchObject({
      currentRevision: "r1",
      updateRevision: "r2",
      availableReplicas: 1,
      observedGeneration: 4,
    });
  });

  it.each([
    ["RollingUpdate", "r2", 2],
    ["OnDelete", "r1", undefined],
  ])("a finished %s rollout makes the update revision current: %s", (type, currentRevision, currentReplicas) => {
    const got = statefulSetStatus(set(type), [pod("r2", true), pod("r2", true)], input);
    expect(got.currentRevision).toBe(currentRevision);
    expect(got.currentReplicas).toBe(currentReplicas);
  });
});
