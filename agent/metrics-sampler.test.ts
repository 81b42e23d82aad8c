import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MetricsReport, SyncRequest, SyncResponse } from "../kube/agent-protocol.ts";
import { MetricsSampler } from "./metrics-sampler.ts";
import { SimulatedRuntime } from "./runtime/simulated.ts";
import { SyncLoop } from "./sync-loop.ts";

const report = (timestamp: string): MetricsReport => ({
  timestamp,
  windowSeconds: 10,
  node: { cpuNanoCores: 1, memoryBytes: 1 },
  pods: [],
});

describe("MetricsSampler", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("samples once per interval and hands out each sample at most once per interval", async () => {
    let n = 0;
    const collect = vi.fn(async () => report(`t${n++}`));
    const sampler = new MetricsSampler(collect, () => 10_000);
    sampler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(collect).toHaveBeenCalledTimes(1);
    expect(sampler.take()?.timestamp).toBe("t0");
    expect(sampler.take()).toBeUndefined(); // nothing new
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sampler.take()).toBeUndefined(); // not due
    await vi.advanceTimersByTimeAsync(5_000);
    expect(collect).toHaveBeenCalledTimes(2);
    expect(sampler.take()?.timestamp).toBe("t1");
    sampler.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(collect).toHaveBeenCalledTimes(2);
  });

  it("a report whose sync failed goes with the next sync; a first reading without rates sends nothing", async () => {
    const collect = vi
      .fn<() => Promise<MetricsReport | undefined>>()
      .mockResolvedValueOnce(undefined)
      .mockResolvedValue(report("second"));
    const sampler = new MetricsSampler(collect, () => 10_000);
    sampler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sampler.take()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10_000);
    const sent = sampler.take();
    expect(sent?.timestamp).toBe("second");
    sampler.putBack(sent!);
    expect(sampler.take()?.timestamp).toBe("second");
    sampler.stop();
  });

  it("a failing collection only skips a report", async () => {
    const collect = vi.fn<() => Promise<MetricsReport | undefined>>().mockRejectedValueOnce(new Error("down"));
    collect.mockResolvedValue(report("ok"));
    const sampler = new MetricsSampler(collect, () => 1_000);
    sampler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sampler.take()?.timestamp).toBe("ok");
    sampler.stop();
  });
});

describe("SyncLoop with metrics", () => {
  it("sends the runtime's usage with a sync, not with every sync", async () => {
    const sent: SyncRequest[] = [];
    const answer: SyncResponse = { pods: [], stop: [], acknowledged: {}, heartbeatSeconds: 10 };
    const loop = new SyncLoop({
      client: {
        post: async <T>(_path: string, _token: string, body: unknown) => {
          sent.push(body as SyncRequest);
          return answer as T;
        },
      },
      credential: "c",
      nodeName: "n1",
      runtime: new SimulatedRuntime(),
      store: { save: async () => {}, remove: async () => {} },
      nodeStatus: async () => ({ capacity: {}, allocatable: {}, conditions: [], addresses: [], nodeInfo: {} as never }),
      heartbeatSeconds: 10,
      log: () => {},
    });
    await loop.syncOnce(); // starts sampling; the first sample may not be ready yet
    await new Promise((resolve) => setTimeout(resolve, 10));
    await loop.syncOnce();
    await loop.syncOnce();
    loop.stop();
    const withMetrics = sent.filter((r) => r.metrics);
    expect(withMetrics).toHaveLength(1);
    expect(withMetrics[0].metrics?.node.cpuNanoCores).toBeGreaterThan(0);
  });
});
