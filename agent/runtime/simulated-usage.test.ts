import { describe, expect, it } from "vitest";
import type { Pod } from "../../kube/pod-types.ts";
import { SimulatedRuntime } from "./simulated.ts";
import { DEFAULT_CONTAINER_USAGE, NODE_BASELINE_USAGE, scriptedUsage, simulatedMetrics } from "./simulated-usage.ts";

const pod = (annotation?: string, containers = ["web", "sidecar"]): Pod =>
  ({
    metadata: {
      name: "p",
      namespace: "ns",
      uid: "u1",
      ...(annotation === undefined ? {} : { annotations: { "sim.flotilla.dev/usage": annotation } }),
    },
    spec: { containers: containers.map((name) => ({ name, image: "busybox" })) },
  }) as Pod;

const MI = 2 ** 20;

describe("scriptedUsage", () => {
  it.each<[string, string | undefined, Record<string, { cpuNanoCores: number; memoryBytes: number }>]>([
    ["no annotation: the default", undefined, { web: DEFAULT_CONTAINER_USAGE, sidecar: DEFAULT_CONTAINER_USAGE }],
    [
      "per container, others default",
      '{"web":{"cpu":"250m","memory":"64Mi"}}',
      { web: { cpuNanoCores: 250_000_000, memoryBytes: 64 * MI }, sidecar: DEFAULT_CONTAINER_USAGE },
    ],
    [
      "one usage for every container",
      '{"cpu":"1.5","memory":"1Gi"}',
      {
        web: { cpuNanoCores: 1_500_000_000, memoryBytes: 1024 * MI },
        sidecar: { cpuNanoCores: 1_500_000_000, memoryBytes: 1024 * MI },
      },
    ],
    [
      "a malformed quantity keeps the default",
      '{"cpu":"lots"}',
      {
        web: { cpuNanoCores: DEFAULT_CONTAINER_USAGE.cpuNanoCores, memoryBytes: DEFAULT_CONTAINER_USAGE.memoryBytes },
        sidecar: DEFAULT_CONTAINER_USAGE,
      },
    ],
    ["not JSON: the default", "{", { web: DEFAULT_CONTAINER_USAGE, sidecar: DEFAULT_CONTAINER_USAGE }],
  ])("%s", (_, annotation, expected) => {
    expect(scriptedUsage(pod(annotation))).toEqual(expected);
  });
});

describe("simulatedMetrics", () => {
  it("reports the pods and the node as their sum over the baseline", () => {
    const report = simulatedMetrics([pod('{"cpu":"100m","memory":"10Mi"}')], Date.parse("2026-01-01T00:00:00.5Z"), 12);
    expect(report.timestamp).toBe("2026-01-01T00:00:00Z");
    expect(report.windowSeconds).toBe(12);
    expect(report.pods).toEqual([
      {
        uid: "u1",
        namespace: "ns",
        name: "p",
        containers: [
          { name: "web", cpuNanoCores: 100_000_000, memoryBytes: 10 * MI },
          { name: "sidecar", cpuNanoCores: 100_000_000, memoryBytes: 10 * MI },
        ],
      },
    ]);
    expect(report.node).toEqual({
      cpuNanoCores: NODE_BASELINE_USAGE.cpuNanoCores + 200_000_000,
      memoryBytes: NODE_BASELINE_USAGE.memoryBytes + 20 * MI,
    });
  });

  it("the simulated runtime reports the pods it runs", async () => {
    const rt = new SimulatedRuntime();
    rt.apply({ pod: pod('{"web":{"cpu":"2"}}', ["web"]), configMaps: {}, secrets: {} });
    const report = await rt.metrics();
    expect(report.pods[0].containers[0].cpuNanoCores).toBe(2_000_000_000);
    rt.forget("u1");
    expect((await rt.metrics()).pods).toEqual([]);
  });
});
