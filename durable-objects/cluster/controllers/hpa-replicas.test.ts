import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { MetricError, podRequests, type ResourceTarget, resourceReplicas, type Samples } from "./hpa-replicas.ts";

const NOW = Date.parse("2025-01-01T00:10:00Z");
const LONG_AGO = "2025-01-01T00:00:00Z"; // past the 5-minute CPU initialization period

function pod(name: string, opts: { request?: string | null; phase?: string; ready?: string; start?: string } = {}) {
  const requests = opts.request === null ? {} : { cpu: opts.request ?? "100m", memory: "100Mi" };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: { containers: [{ name: "app", resources: { requests } }] },
    status: {
      phase: opts.phase ?? "Running",
      startTime: opts.start ?? LONG_AGO,
      conditions: [{ type: "Ready", status: opts.ready ?? "True", lastTransitionTime: opts.start ?? LONG_AGO }],
    },
  } as KubeObject;
}

const samples = (values: Record<string, number>): Samples =>
  new Map(Object.entries(values).map(([n, v]) => [n, { value: v, timestampMs: NOW - 1000, windowMs: 30_000 }]));

const cpu = (utilization: number): ResourceTarget => ({ utilization });

describe("resourceReplicas (Utilization)", () => {
  const cases: {
    name: string;
    current: number;
    pods: KubeObject[];
    usage: Record<string, number>;
    target?: ResourceTarget;
    want: number;
    utilization?: number;
  }[] = [
    { name: "at target", current: 2, pods: [pod("a"), pod("b")], usage: { a: 50, b: 50 }, want: 2, utilization: 50 },
    { name: "within 10% tolerance up", current: 2, pods: [pod("a"), pod("b")], usage: { a: 54, b: 54 }, want: 2 },
    { name: "within tolerance down", current: 2, pods: [pod("a"), pod("b")], usage: { a: 46, b: 46 }, want: 2 },
    { name: "just past tolerance scales up", current: 2, pods: [pod("a"), pod("b")], usage: { a: 56, b: 56 }, want: 3 },
    {
      name: "double usage doubles",
      current: 2,
      pods: [pod("a"), pod("b")],
      usage: { a: 100, b: 100 },
      want: 4,
      utilization: 100,
    },
    {
      name: "low usage scales down",
      current: 4,
      pods: [pod("a"), pod("b"), pod("c"), pod("d")],
      usage: { a: 10, b: 10, c: 10, d: 10 },
      want: 1,
    },
    {
      name: "unready pod counts as 0% on a scale-up",
      current: 3,
      pods: [pod("a"), pod("b"), pod("c", { phase: "Pending" })],
      usage: { a: 100, b: 100 },
      // ratio 2 on two ready pods; with the pending pod at 0: (200)/(300)*100=66% → ratio 1.33 → ceil(1.33*3)=4
      want: 4,
    },
    {
      name: "unready pods are ignored on a scale-down",
      current: 3,
      pods: [pod("a"), pod("b"), pod("c", { phase: "Pending" })],
      usage: { a: 10, b: 10 },
      want: 1,
    },
    {
      name: "missing pod counts as 100% on a scale-down",
      current: 3,
      pods: [pod("a"), pod("b"), pod("c")],
      usage: { a: 10, b: 10 },
      // (10+10+100)/300 = 40% → ratio 0.8 → ceil(0.8*3)=3: the missing pod holds the scale
      want: 3,
    },
    {
      name: "missing pod counts as 0% on a scale-up",
      current: 3,
      pods: [pod("a"), pod("b"), pod("c")],
      usage: { a: 150, b: 150 },
      // (300)/(300)=100% → ratio 2 → ceil(2*3)=6
      want: 6,
    },
    {
      name: "missing pods that flip the direction keep the count",
      current: 2,
      pods: [pod("a"), pod("b")],
      usage: { a: 60 },
      want: 2,
    },
    {
      name: "a starting pod with unsettled readiness counts as 0% on a scale-up (holds the scale here)",
      current: 2,
      pods: [pod("a"), pod("b", { start: "2025-01-01T00:09:50Z", ready: "False" })],
      usage: { a: 100, b: 100 },
      // b's 100 is dropped and replaced by 0: 100/200 = 50% = target
      want: 2,
    },
    {
      name: "a starting pod at 0% still lets a large scale-up through",
      current: 2,
      pods: [pod("a"), pod("b", { start: "2025-01-01T00:09:50Z", ready: "False" })],
      usage: { a: 200, b: 200 },
      want: 4,
    },
    {
      name: "failed pods are ignored",
      current: 2,
      pods: [pod("a"), pod("b", { phase: "Failed" })],
      usage: { a: 100, b: 5 },
      want: 2,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const p = resourceReplicas({
        currentReplicas: c.current,
        pods: c.pods,
        samples: samples(c.usage),
        resource: "cpu",
        target: c.target ?? cpu(50),
        now: NOW,
      });
      expect(p.replicas).toBe(c.want);
      if (c.utilization !== undefined) expect(p.utilization).toBe(c.utilization);
    });
});

describe("resourceReplicas (AverageValue)", () => {
  it("scales on the average against the target value, with the same tolerance", () => {
    const run = (usage: Record<string, number>, current = 2) =>
      resourceReplicas({
        currentReplicas: current,
        pods: [pod("a"), pod("b")],
        samples: samples(usage),
        resource: "memory",
        target: { averageMilli: 100_000 },
        now: NOW,
      });
    expect(run({ a: 200_000, b: 200_000 }).replicas).toBe(4);
    expect(run({ a: 105_000, b: 105_000 }).replicas).toBe(2);
    expect(run({ a: 20_000, b: 20_000 }).replicas).toBe(1);
    expect(run({ a: 200_000, b: 200_000 }).rawAverageMilli).toBe(200_000);
  });
});

describe("errors", () => {
  it("a container without a CPU request is upstream's error, not a crash", () => {
    const run = () =>
      resourceReplicas({
        currentReplicas: 1,
        pods: [pod("web-1", { request: null })],
        samples: samples({ "web-1": 10 }),
        resource: "cpu",
        target: cpu(50),
        now: NOW,
      });
    expect(run).toThrow(MetricError);
    expect(run).toThrow("missing request for cpu in container app of Pod web-1");
  });
  it("no pods and no usable samples", () => {
    const base = { currentReplicas: 1, resource: "cpu", target: cpu(50), now: NOW };
    expect(() => resourceReplicas({ ...base, pods: [], samples: samples({}) })).toThrow(
      "no pods returned by selector while calculating replica count",
    );
    expect(() =>
      resourceReplicas({ ...base, pods: [pod("a", { phase: "Pending" })], samples: samples({ a: 1 }) }),
    ).toThrow("did not receive metrics for targeted pods (pods might be unready)");
  });
  it("podRequests sums containers and restartable init containers", () => {
    const p = pod("a", { request: "250m" });
    p.spec!.initContainers = [
      { name: "side", restartPolicy: "Always", resources: { requests: { cpu: "0.5" } } },
      { name: "init", resources: {} },
    ];
    expect(podRequests([p], "cpu").get("a")).toBe(750);
  });
});
