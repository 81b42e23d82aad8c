import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { daemonCounts, type NodeInfo, planNodes, planRollingUpdate, rollingLimits } from "./daemonset-plan.ts";

// A pod spelled "<node>:<new|old>[:notready|:failed|:deleting][@<created second>]".
function pod(spec: string, i: number): KubeObject {
  const [where, when] = spec.split("@");
  const [node, version, state] = where.split(":");
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `p${i}-${node}-${version}`,
      creationTimestamp: new Date(Number(when ?? i) * 1000).toISOString(),
      labels: { v: version },
      ...(state === "deleting" ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: { nodeName: node },
    status: {
      phase: state === "failed" ? "Failed" : "Running",
      conditions: [{ type: "Ready", status: state ? "False" : "True", lastTransitionTime: "2026-01-01T00:00:00Z" }],
    },
  } as KubeObject;
}

const ctx = { isUpdated: (p: KubeObject) => p.metadata.labels?.v === "new", minReadySeconds: 0, now: Date.now() };

function byNode(specs: string[]): Map<string, KubeObject[]> {
  const m = new Map<string, KubeObject[]>();
  specs.forEach((s, i) => {
    const p = pod(s, i);
    m.set(p.spec.nodeName, [...(m.get(p.spec.nodeName) ?? []), p]);
  });
  return m;
}

const nodeFit = (name: string, shouldRun = true, shouldContinueRunning = shouldRun): NodeInfo => ({
  name,
  fit: { shouldRun, shouldContinueRunning },
});
const names = (pods: KubeObject[]) => pods.map((p) => p.metadata.name).sort();

describe("planNodes", () => {
  it.each([
    ["empty nodes get a pod", [nodeFit("a"), nodeFit("b")], ["a:new"], false, ["b"], []],
    ["no pod where it should not run", [nodeFit("a", false)], [], false, [], []],
    ["pods leave nodes they no longer fit", [nodeFit("a", false)], ["a:new"], false, [], ["p0-a-new"]],
    ["pods stay where they may continue", [nodeFit("a", false, true)], ["a:new"], false, [], []],
    ["extra pods go, the oldest stays", [nodeFit("a")], ["a:old@5", "a:new@9"], false, [], ["p1-a-new"]],
    ["failed pods are deleted", [nodeFit("a")], ["a:new:failed"], false, [], ["p0-a-new"]],
    ["a terminating pod holds its node", [nodeFit("a")], ["a:new:deleting"], false, [], []],
    ["with surge one old and one new may share a node", [nodeFit("a")], ["a:old", "a:new"], true, [], []],
    ["with surge a second new pod goes", [nodeFit("a")], ["a:new", "a:new", "a:old"], true, [], ["p1-a-new"]],
  ])("%s", (_name, nodes, pods, surge, createOn, removed) => {
    const got = planNodes(nodes, byNode(pods), surge, ctx);
    expect(got.createOn).toEqual(createOn);
    expect(names(got.remove)).toEqual(removed);
  });

  it("reports failed pods for the warning event", () => {
    expect(names(planNodes([nodeFit("a")], byNode(["a:new:failed"]), false, ctx).failed)).toEqual(["p0-a-new"]);
  });
});

describe("rolling update", () => {
  it.each([
    ["maxUnavailable 1 replaces one old pod", ["a:old", "b:old", "c:old"], 0, 1, [], ["p0-a-old"]],
    ["maxUnavailable 2 replaces two", ["a:old", "b:old", "c:old"], 0, 2, [], ["p0-a-old", "p1-b-old"]],
    ["waits while a new pod is not ready", ["a:new:notready", "b:old", "c:old"], 0, 1, [], []],
    ["a node without pods counts as unavailable", ["b:old", "c:old", "a:new:deleting"], 0, 1, [], []],
    ["continues once the new pod is ready", ["a:new", "b:old", "c:old"], 0, 1, [], ["p1-b-old"]],
    [
      "unavailable old pods are replaced at once",
      ["a:new:notready", "b:old:notready", "c:old"],
      0,
      1,
      [],
      ["p1-b-old"],
    ],
    ["surge starts a new pod beside an old one", ["a:old", "b:old"], 1, 0, ["a"], []],
    [
      "surge deletes the old pod once the new one is ready, and moves on",
      ["a:old", "a:new", "b:old"],
      1,
      0,
      ["b"],
      ["p0-a-old"],
    ],
    ["surge waits for a new pod to be ready", ["a:old", "a:new:notready", "b:old"], 1, 0, [], []],
  ])("%s", (_name, pods, maxSurge, maxUnavailable, createOn, removed) => {
    const got = planRollingUpdate(byNode(pods), { maxSurge, maxUnavailable }, ctx);
    expect(got.createOn).toEqual(createOn);
    expect(names(got.remove)).toEqual(removed);
  });

  it.each([
    [0, 1, 10, { maxSurge: 0, maxUnavailable: 1 }],
    ["25%", 0, 10, { maxSurge: 3, maxUnavailable: 0 }],
    [0, "10%", 5, { maxSurge: 0, maxUnavailable: 1 }],
    [0, 0, 5, { maxSurge: 0, maxUnavailable: 1 }],
  ])("limits: surge %s unavailable %s of %d nodes", (surge, unavailable, desired, want) => {
    expect(rollingLimits(surge, unavailable, desired)).toEqual(want);
  });
});

describe("status counts", () => {
  it("counts desired, current, misscheduled, ready, available and updated nodes", () => {
    const nodes = [nodeFit("a"), nodeFit("b"), nodeFit("c"), nodeFit("d", false, true)];
    const got = daemonCounts(nodes, byNode(["a:new", "b:old:notready", "d:old"]), ctx);
    expect(got).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 1,
      numberAvailable: 1,
      updatedNumberScheduled: 1,
      numberUnavailable: 2,
    });
  });
});
