import { describe, expect, it } from "vitest";
import { forEachBounded, StatsCollector, type StatsTarget, statsTargets } from "./stats-collector.ts";
import type { EngineStats } from "./stats.ts";

const target = (id: string, pod: string, container: string): StatsTarget => ({
  id,
  podUID: pod,
  namespace: "default",
  podName: `pod-${pod}`,
  container,
});

/** A Podman-style reading (no precpu): cumulative CPU `cpuNs` at second `t`. */
const reading = (t: number, cpuNs: number, memory = 1000): EngineStats => ({
  read: new Date(Date.UTC(2026, 0, 1, 0, 0, t)).toISOString(),
  cpu_stats: { cpu_usage: { total_usage: cpuNs } },
  memory_stats: { usage: memory },
});

describe("StatsCollector", () => {
  it("reports rates from the second collection, a pod only when all its containers have one", async () => {
    let t = 0;
    const cpu: Record<string, number> = { a: 0, b: 0, c: 0 };
    const collector = new StatsCollector(async (id) => {
      if (id === "c" && t === 10) throw new Error("gone"); // c misses the second round
      return reading(t, cpu[id]);
    });
    const targets = [target("a", "p1", "web"), target("b", "p1", "side"), target("c", "p2", "main")];
    expect(await collector.collect(targets)).toEqual({ pods: [], windowSeconds: undefined });
    t = 10;
    cpu.a = 5e9; // half a core over 10 s
    cpu.b = 1e8;
    cpu.c = 1e9;
    const usage = await collector.collect(targets);
    expect(usage.windowSeconds).toBe(10);
    expect(usage.pods).toEqual([
      {
        uid: "p1",
        namespace: "default",
        name: "pod-p1",
        containers: [
          { name: "web", cpuNanoCores: 500_000_000, memoryBytes: 1000 },
          { name: "side", cpuNanoCores: 10_000_000, memoryBytes: 1000 },
        ],
      },
    ]);
  });

  it("gives up on a stats call that does not answer in time", async () => {
    const collector = new StatsCollector(() => new Promise<EngineStats>(() => {}), 2, 20);
    expect((await collector.collect([target("a", "p", "c")])).pods).toEqual([]);
  });
});

describe("forEachBounded", () => {
  it("never runs more than the limit at once and visits every item", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("statsTargets", () => {
  const info = (id: string, running: boolean, kind: string) => ({
    Id: id,
    State: { Running: running },
    Config: {
      Labels: {
        "io.kubernetes.pod.uid": "u1",
        "io.kubernetes.pod.namespace": "ns",
        "io.kubernetes.pod.name": "p",
        "io.kubernetes.container.name": `c-${id}`,
        kind,
      },
    },
  });

  it("keeps running app containers only (no infra, init or stopped ones)", () => {
    const infos = [info("1", true, "app"), info("2", false, "app"), info("3", true, "infra"), info("4", true, "init")];
    expect(statsTargets(infos, (labels) => ({ kind: labels.kind }))).toEqual([
      { id: "1", podUID: "u1", namespace: "ns", podName: "p", container: "c-1" },
    ]);
  });
});
