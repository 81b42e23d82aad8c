import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { failedStatus, ORPHAN_CONDITION, planNode, planUnscheduled, QUARANTINE_MS } from "./podgc-plan.ts";

const pod = (name: string, extra: { nodeName?: string; deleting?: boolean; phase?: string } = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "default",
    uid: name,
    ...(extra.deleting ? { deletionTimestamp: "2026-01-01T00:00:30Z" } : {}),
  },
  spec: { ...(extra.nodeName ? { nodeName: extra.nodeName } : {}), containers: [] },
  status: extra.phase ? { phase: extra.phase } : {},
});

const node = (ready: boolean, taints: { key: string; effect: string }[] = []): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n" },
  spec: { taints },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

const names = (plan: { remove: { pod: KubeObject }[] }) => plan.remove.map((r) => r.pod.metadata.name);

describe("planNode", () => {
  const now = 1_000_000;

  it("quarantines a missing node's pods, then removes them all with DeletionByPodGC", () => {
    const pods = [pod("a", { nodeName: "foo-node" }), pod("b", { nodeName: "foo-node", deleting: true })];
    const first = planNode({ node: undefined, pods, missingSince: undefined, now });
    expect(first).toEqual({ remove: [], missingSince: now, recheckAt: now + QUARANTINE_MS });
    const early = planNode({ node: undefined, pods, missingSince: now, now: now + QUARANTINE_MS - 1 });
    expect(early.remove).toEqual([]);
    const due = planNode({ node: undefined, pods, missingSince: now, now: now + QUARANTINE_MS });
    expect(names(due)).toEqual(["a", "b"]);
    expect(due.remove.every((r) => r.condition === ORPHAN_CONDITION)).toBe(true);
    expect(due.missingSince).toBeUndefined();
  });

  it("leaves a missing node without pods alone (nothing to wait for)", () => {
    expect(planNode({ node: undefined, pods: [], missingSince: now, now })).toEqual({ remove: [] });
  });

  it("removes terminating pods of a NotReady node tainted out-of-service, and only those", () => {
    const pods = [pod("run", { nodeName: "n" }), pod("term", { nodeName: "n", deleting: true })];
    const oos = [{ key: "node.kubernetes.io/out-of-service", effect: "NoExecute" }];
    expect(names(planNode({ node: node(false, oos), pods, missingSince: undefined, now }))).toEqual(["term"]);
    expect(names(planNode({ node: node(true, oos), pods, missingSince: undefined, now }))).toEqual([]);
    expect(names(planNode({ node: node(false), pods, missingSince: undefined, now }))).toEqual([]);
  });
});

describe("planUnscheduled", () => {
  it("removes terminating pods without a node", () => {
    const pods = [pod("a", { deleting: true }), pod("b"), pod("c", { nodeName: "n", deleting: true })];
    expect(planUnscheduled(pods).map((r) => r.pod.metadata.name)).toEqual(["a"]);
  });
});

describe("failedStatus", () => {
  const at = "2026-01-01T00:01:00Z";
  it("marks a running pod Failed with the condition", () => {
    expect(
      failedStatus({ phase: "Running", conditions: [{ type: "Ready", status: "True" }] }, ORPHAN_CONDITION, at),
    ).toEqual({
      phase: "Failed",
      conditions: [
        { type: "Ready", status: "True" },
        { ...ORPHAN_CONDITION, lastTransitionTime: at },
      ],
    });
  });
  it("keeps lastTransitionTime of a condition already in that status", () => {
    const before = { type: "DisruptionTarget", status: "True", lastTransitionTime: "2026-01-01T00:00:00Z" };
    const next = failedStatus({ phase: "Pending", conditions: [before] }, ORPHAN_CONDITION, at);
    expect(next?.conditions).toEqual([{ ...ORPHAN_CONDITION, lastTransitionTime: "2026-01-01T00:00:00Z" }]);
  });
  it("leaves finished pods as they are", () => {
    expect(failedStatus({ phase: "Succeeded" }, ORPHAN_CONDITION, at)).toBeUndefined();
    expect(failedStatus({ phase: "Failed" }, undefined, at)).toBeUndefined();
  });
});
