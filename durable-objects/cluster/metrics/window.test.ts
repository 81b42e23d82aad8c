import { describe, expect, it } from "vitest";
import type { MetricsReport } from "../../../kube/agent-protocol.ts";
import { MetricsWindow } from "./window.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");

function setup() {
  let now = T0;
  const pods: Record<string, { uid: string; nodeName?: string }> = {
    "default/web": { uid: "u-web", nodeName: "n1" },
    "default/other": { uid: "u-other", nodeName: "n2" },
  };
  const window = new MetricsWindow(
    (ns, name) => pods[`${ns}/${name}`],
    () => now,
  );
  return { window, pods, advance: (ms: number) => (now += ms) };
}

const report = (pods: MetricsReport["pods"], timestamp = "2026-01-01T00:00:00Z"): MetricsReport => ({
  timestamp,
  windowSeconds: 10,
  node: { cpuNanoCores: 250_000_000, memoryBytes: 1 << 30 },
  pods,
});

const web = (uid = "u-web", name = "web") => ({
  uid,
  namespace: "default",
  name,
  containers: [{ name: "c", cpuNanoCores: 5_000_000, memoryBytes: 1024 }],
});

describe("MetricsWindow", () => {
  it("holds a node's report: node and its own pods, in millicores for readers", () => {
    const { window } = setup();
    expect(window.record("n1", report([web()]), 10)).toBe(1);
    expect(window.nodeMetrics("n1")).toEqual({
      timestamp: T0,
      windowSeconds: 10,
      cpuMillicores: 250,
      memoryBytes: 1 << 30,
    });
    expect(window.podMetrics("default", "web")).toEqual({
      timestamp: T0,
      windowSeconds: 10,
      containers: [{ name: "c", cpuMillicores: 5, memoryBytes: 1024 }],
    });
    expect(window.podUsage("default", "web")?.containers[0].cpuNanoCores).toBe(5_000_000);
  });

  it.each([
    ["a pod bound to another node", web("u-other", "other")],
    ["a stale uid", web("u-old")],
    ["a pod that does not exist", web("u-x", "ghost")],
  ])("ignores %s", (_, pod) => {
    const { window } = setup();
    expect(window.record("n1", report([pod]), 10)).toBe(0);
    expect(window.podMetrics("default", pod.name)).toBeUndefined();
  });

  it("drops samples two heartbeat intervals plus the window after they arrived", () => {
    const { window, advance } = setup();
    window.record("n1", report([web()]), 10);
    advance(29_999);
    expect(window.nodeMetrics("n1")).toBeDefined();
    expect(window.podMetrics("default", "web")).toBeDefined();
    advance(1);
    expect(window.nodeMetrics("n1")).toBeUndefined();
    expect(window.podMetrics("default", "web")).toBeUndefined();
  });

  it("a new report replaces the node's pods; a recreated pod does not inherit usage", () => {
    const { window, pods } = setup();
    window.record("n1", report([web()]), 10);
    window.record("n1", report([]), 10);
    expect(window.podMetrics("default", "web")).toBeUndefined();
    window.record("n1", report([web()]), 10);
    pods["default/web"] = { uid: "u-new", nodeName: "n1" };
    expect(window.podMetrics("default", "web")).toBeUndefined();
  });

  it("never dates a measurement after its arrival, and survives garbage", () => {
    const { window } = setup();
    window.record("n1", report([], "2030-01-01T00:00:00Z"), 10);
    expect(window.nodeMetrics("n1")?.timestamp).toBe(T0);
    const junk = { timestamp: "x", windowSeconds: -1, node: null, pods: "no" } as unknown as MetricsReport;
    expect(window.record("n1", junk, 10)).toBe(0);
    const junkPods = { ...junk, pods: [null, 3, { namespace: 1 }, { ...web(), containers: [null, "c"] }] };
    expect(window.record("n1", junkPods as unknown as MetricsReport, 10)).toBe(1);
    expect(window.podMetrics("default", "web")?.containers).toEqual([]);
    expect(window.nodeMetrics("n1")).toEqual({ timestamp: T0, windowSeconds: 0, cpuMillicores: 0, memoryBytes: 0 });
  });
});
