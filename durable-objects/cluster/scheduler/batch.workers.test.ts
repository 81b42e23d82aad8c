// The scheduler's batches on a starved CPU: the wall-clock budget must not shrink a batch to a pod or two
// (each batch then waits a turn behind the syncs its placements woke). Counted: a clock that moves 100 ms
// per read stands for a host where other processes hold the CPU. And a clock that stands still (workerd's,
// while code runs without I/O) must not make one batch of every waiting pod.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestPod } from "../testing/pods.ts";
import { withAgents } from "../nodes/testing.ts";
import { MAX_BATCH, MIN_BATCH, Scheduler } from "./scheduler.ts";
import { nodeObject } from "./test-helpers.ts";

describe("scheduler batches", () => {
  afterEach(() => vi.restoreAllMocks());

  it(`places at least ${MIN_BATCH} waiting pods per batch however slowly the wall clock says it went`, async () => {
    await withAgents(["default"], async ({ ctx }) => {
      for (let i = 0; i < 4; i++) ctx.store.put("nodes", nodeObject({ name: `n${i}` }), "ADDED");
      const scheduler = new Scheduler(ctx);
      scheduler.start();
      try {
        for (let i = 0; i < MIN_BATCH + 8; i++)
          createTestPod(ctx, `p${i}`, { containers: [{ name: "c", image: "busybox" }] });
        let now = Date.now();
        vi.spyOn(Date, "now").mockImplementation(() => (now += 100));
        const placed = scheduler.drain();
        vi.restoreAllMocks();
        const bound = ctx.store.list("pods").filter((e) => e.object.spec?.nodeName).length;
        expect(placed).toBe(MIN_BATCH);
        expect(bound).toBe(MIN_BATCH);
        // The rest goes in the next batch (its timer is armed), not lost.
        expect(scheduler.queue.activeCount).toBe(8);
        expect(scheduler.drain()).toBe(8);
      } finally {
        scheduler.stop();
      }
    });
  });

  it(`places at most ${MAX_BATCH} pods per batch when the clock stands still`, async () => {
    await withAgents(["default"], async ({ ctx }) => {
      for (let i = 0; i < 4; i++) ctx.store.put("nodes", nodeObject({ name: `n${i}` }), "ADDED");
      const scheduler = new Scheduler(ctx);
      scheduler.start();
      try {
        for (let i = 0; i < MAX_BATCH * 2 + 5; i++)
          createTestPod(ctx, `p${i}`, { containers: [{ name: "c", image: "busybox" }] });
        const frozen = Date.now();
        vi.spyOn(Date, "now").mockImplementation(() => frozen);
        expect(scheduler.drain()).toBe(MAX_BATCH);
        expect(scheduler.drain()).toBe(MAX_BATCH);
        expect(scheduler.drain()).toBe(5);
        vi.restoreAllMocks();
        expect(ctx.store.list("pods").filter((e) => e.object.spec?.nodeName).length).toBe(MAX_BATCH * 2 + 5);
      } finally {
        scheduler.stop();
      }
    });
  });
});
