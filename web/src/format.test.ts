import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../kube/types.ts";
import {
  deploymentReady,
  formatBytes,
  formatCpu,
  heartbeatAge,
  nodeAllocation,
  nodeStatus,
  podRestarts,
  podStatus,
  quantityValue,
  rolloutState,
} from "./format.ts";

const node = (ready: string | undefined, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "n1" },
  status: {
    conditions: ready ? [{ type: "Ready", status: ready, lastHeartbeatTime: "2026-01-01T00:00:00Z" }] : [],
    allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
  },
  ...extra,
});

describe("nodeStatus", () => {
  const cases: [KubeObject, string][] = [
    [node("True"), "Ready"],
    [node("False"), "NotReady"],
    [node("Unknown"), "Unknown"],
    [node(undefined), "Unknown"],
    [{ ...node("True"), spec: { unschedulable: true } }, "Ready,SchedulingDisabled"],
  ];
  for (const [n, want] of cases) it(want, () => expect(nodeStatus(n)).toBe(want));
});

describe("heartbeatAge", () => {
  it("is the time since the Ready condition's heartbeat", () => {
    expect(heartbeatAge(node("True"), Date.parse("2026-01-01T00:00:07Z"))).toBe("7s");
    expect(heartbeatAge(node(undefined), 0)).toBe("never");
  });
});

describe("quantities", () => {
  const cases: [string, number][] = [
    ["250m", 0.25],
    ["2", 2],
    ["1Gi", 1024 ** 3],
    ["128Mi", 128 * 1024 ** 2],
    ["1k", 1000],
  ];
  for (const [text, want] of cases) it(text, () => expect(quantityValue(text)).toBeCloseTo(want));
  it("rejects what it cannot read", () => expect(quantityValue("1x")).toBeNaN());
  it("formats", () => {
    expect(formatCpu(0.25)).toBe("250m");
    expect(formatCpu(2)).toBe("2");
    expect(formatBytes(4 * 1024 ** 3)).toBe("4Gi");
    expect(formatBytes(1536)).toBe("1.5Ki");
  });
});

describe("nodeAllocation", () => {
  const pod = (cpu: string, phase = "Running"): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ resources: { requests: { cpu, memory: "256Mi" } } }, {}] },
    status: { phase },
  });
  it("sums the requests of pods still holding resources", () => {
    expect(nodeAllocation(node("True"), [pod("250m"), pod("500m"), pod("1", "Succeeded")])).toEqual({
      cpu: "750m / 2",
      memory: "512Mi / 4Gi",
      pods: "2 / 110",
    });
  });
});

describe("pods", () => {
  const pod = (status: KubeObject["status"], deleting = false): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", ...(deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}) },
    status,
  });
  it("restarts sum over containers", () => {
    expect(podRestarts(pod({ containerStatuses: [{ restartCount: 2 }, { restartCount: 3 }] }))).toBe(5);
    expect(podRestarts(pod({}))).toBe(0);
  });
  const cases: [KubeObject, string][] = [
    [pod({ phase: "Running" }), "Running"],
    [pod(undefined), "Pending"],
    [pod({ phase: "Running" }, true), "Terminating"],
    [
      pod({ phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "ImagePullBackOff" } } }] }),
      "ImagePullBackOff",
    ],
    [pod({ phase: "Succeeded", containerStatuses: [{ state: { terminated: { reason: "Completed" } } }] }), "Succeeded"],
  ];
  for (const [p, want] of cases) it(`status ${want}`, () => expect(podStatus(p)).toBe(want));
});

describe("deployments", () => {
  const d = (spec: number, status: Record<string, number>, generation = 1): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", generation },
    spec: { replicas: spec },
    status: { observedGeneration: 1, ...status },
  });
  it("ready/desired", () => expect(deploymentReady(d(3, { readyReplicas: 1 }))).toBe("1/3"));
  const cases: [KubeObject, string][] = [
    [d(2, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), "Complete"],
    [d(2, { replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), "Waiting"],
    [d(2, { replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), "Progressing"],
    [d(2, { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }, 2), "Progressing"],
  ];
  for (const [dep, want] of cases) it(`rollout ${want}`, () => expect(rolloutState(dep)).toBe(want));
});
