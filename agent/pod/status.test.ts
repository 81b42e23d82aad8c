import { describe, expect, it } from "vitest";
import type { ContainerState, ContainerStatus, Pod, RestartPolicy } from "../../kube/pod-types.ts";
import { computePodStatus, podPhase, terminatedReason } from "./status.ts";

const pod = (restartPolicy: RestartPolicy, containers: string[], init: string[] = []): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "ns", uid: "u" },
  spec: {
    restartPolicy,
    containers: containers.map((name) => ({ name, image: "busybox" })),
    initContainers: init.map((name) => ({ name, image: "busybox" })),
  },
});

const running: ContainerState = { running: { startedAt: "t" } };
const ok: ContainerState = { terminated: { exitCode: 0, reason: "Completed" } };
const fail: ContainerState = { terminated: { exitCode: 1, reason: "Error" } };
const creating: ContainerState = { waiting: { reason: "ContainerCreating" } };
const crashLoop: ContainerState = { waiting: { reason: "CrashLoopBackOff" } };

const cs = (name: string, state: ContainerState, lastState: ContainerState = {}, ready = false): ContainerStatus => ({
  name,
  state,
  lastState,
  ready,
  restartCount: 0,
  image: "busybox",
  imageID: "",
});

describe("podPhase", () => {
  it.each<[string, RestartPolicy, ContainerStatus[], string]>([
    ["all running", "Always", [cs("a", running), cs("b", running)], "Running"],
    ["one creating", "Always", [cs("a", running), cs("b", creating)], "Pending"],
    ["completed, Never", "Never", [cs("a", ok)], "Succeeded"],
    ["failed, Never", "Never", [cs("a", fail)], "Failed"],
    ["one ok one failed, Never", "Never", [cs("a", ok), cs("b", fail)], "Failed"],
    ["failed, OnFailure", "OnFailure", [cs("a", fail)], "Running"],
    ["completed, OnFailure", "OnFailure", [cs("a", ok)], "Succeeded"],
    ["completed, Always restarts", "Always", [cs("a", ok)], "Running"],
    ["crash loop after a failure", "Always", [cs("a", crashLoop, fail)], "Running"],
    ["unknown container", "Always", [cs("a", running)], "Pending"],
  ])("%s → %s", (_, policy, statuses, phase) => {
    const names = statuses.length === 1 && phase === "Pending" ? ["a", "b"] : statuses.map((s) => s.name);
    expect(podPhase(pod(policy, names), [], statuses)).toBe(phase);
  });

  it.each<[string, RestartPolicy, ContainerStatus[], string]>([
    ["init running", "Always", [cs("i", running)], "Pending"],
    ["init failed, Never", "Never", [cs("i", fail)], "Failed"],
    ["init failed, Always", "Always", [cs("i", fail)], "Pending"],
    ["init backing off after a failure", "Always", [cs("i", crashLoop, fail)], "Pending"],
    ["init not started", "Always", [], "Pending"],
  ])("init: %s → %s", (_, policy, init, phase) => {
    expect(podPhase(pod(policy, ["a"], ["i"]), init, [cs("a", { waiting: { reason: "PodInitializing" } })])).toBe(
      phase,
    );
  });
});

const byType = (status: ReturnType<typeof computePodStatus>) =>
  Object.fromEntries(
    (status.conditions ?? []).map((c) => [c.type, [c.status, c.reason, c.message].filter(Boolean).join(" | ")]),
  );

describe("computePodStatus", () => {
  const base = {
    sandboxReady: true,
    now: "2026-01-01T00:00:00Z",
    podIP: "10.88.0.2",
    hostIP: "10.0.0.1",
    startTime: "s",
  };

  it("a ready running pod", () => {
    const p = pod("Always", ["a"]);
    const status = computePodStatus({
      ...base,
      pod: p,
      initContainerStatuses: [],
      containerStatuses: [cs("a", running, {}, true)],
    });
    expect(status.phase).toBe("Running");
    expect(byType(status)).toEqual({
      PodReadyToStartContainers: "True",
      Initialized: "True",
      Ready: "True",
      ContainersReady: "True",
      PodScheduled: "True",
    });
    expect(status.podIPs).toEqual([{ ip: "10.88.0.2" }]);
    expect(status.hostIP).toBe("10.0.0.1");
    expect(status.initContainerStatuses).toBeUndefined();
  });

  it("unready and incomplete containers, with upstream messages", () => {
    const p = pod("Always", ["a", "b"], ["i1", "i2"]);
    const status = computePodStatus({
      ...base,
      sandboxReady: false,
      pod: p,
      initContainerStatuses: [cs("i1", ok), cs("i2", running)],
      containerStatuses: [
        cs("a", { waiting: { reason: "PodInitializing" } }),
        cs("b", { waiting: { reason: "PodInitializing" } }),
      ],
    });
    expect(status.phase).toBe("Pending");
    expect(byType(status)).toEqual({
      PodReadyToStartContainers: "False",
      Initialized: "False | ContainersNotInitialized | containers with incomplete status: [i2]",
      Ready: "False | ContainersNotReady | containers with unready status: [a b]",
      ContainersReady: "False | ContainersNotReady | containers with unready status: [a b]",
      PodScheduled: "True",
    });
  });

  it("a completed pod says PodCompleted", () => {
    const status = computePodStatus({
      ...base,
      pod: pod("Never", ["a"], ["i"]),
      initContainerStatuses: [cs("i", ok)],
      containerStatuses: [cs("a", ok)],
    });
    expect(status.phase).toBe("Succeeded");
    expect(byType(status)).toMatchObject({
      Initialized: "True | PodCompleted",
      Ready: "False | PodCompleted",
      ContainersReady: "False | PodCompleted",
    });
  });

  it("readiness gates hold Ready back", () => {
    const p = pod("Always", ["a"]);
    p.spec.readinessGates = [{ conditionType: "example.com/lb" }];
    const input = { ...base, pod: p, initContainerStatuses: [], containerStatuses: [cs("a", running, {}, true)] };
    expect(byType(computePodStatus(input)).Ready).toBe(
      'False | ReadinessGatesNotReady | corresponding condition of pod readiness gate "example.com/lb" does not exist.',
    );
    const previous = { conditions: [{ type: "example.com/lb", status: "True" as const }] };
    expect(byType(computePodStatus({ ...input, previous })).Ready).toBe("True");
  });

  it("keeps lastTransitionTime for unchanged conditions only", () => {
    const p = pod("Always", ["a"]);
    const first = computePodStatus({
      ...base,
      pod: p,
      initContainerStatuses: [],
      containerStatuses: [cs("a", running, {}, true)],
    });
    const second = computePodStatus({
      ...base,
      now: "later",
      previous: first,
      pod: p,
      initContainerStatuses: [],
      containerStatuses: [cs("a", crashLoop, fail)],
    });
    const times = Object.fromEntries((second.conditions ?? []).map((c) => [c.type, c.lastTransitionTime]));
    expect(times).toEqual({
      PodReadyToStartContainers: base.now,
      Initialized: base.now,
      Ready: "later",
      ContainersReady: "later",
      PodScheduled: base.now,
    });
  });
});

it.each([
  [0, false, "Completed"],
  [1, false, "Error"],
  [137, true, "OOMKilled"],
])("terminatedReason(%d, %s) = %s", (code, oom, reason) => expect(terminatedReason(code, oom)).toBe(reason));
