import { describe, expect, it } from "vitest";
import { backoffFor, SchedulingQueue } from "./queue.ts";

describe("SchedulingQueue", () => {
  it("pops by priority, then age", () => {
    const q = new SchedulingQueue();
    q.add("old-low", 0, 1);
    q.add("new-high", 100, 5);
    q.add("new-low", 0, 2);
    q.add("old-high", 100, 3);
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([
      "old-high",
      "new-high",
      "old-low",
      "new-low",
      undefined,
    ]);
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10_000],
    [9, 10_000],
  ])("backs off %i attempts for %i ms", (attempts, ms) => expect(backoffFor(attempts)).toBe(ms));

  it("keeps unschedulable pods parked until a change, then honours the back-off", () => {
    const q = new SchedulingQueue();
    q.markUnschedulable("p", 0, 0, new Set(["NodeResourcesFit"]), 1000);
    expect(q.pop()).toBeUndefined();
    q.moveUnschedulable(1500);
    expect(q.pop()).toBeUndefined();
    expect(q.flushBackoff(1500)).toBe(2000);
    expect(q.flushBackoff(2000)).toBeUndefined();
    expect(q.pop()).toBe("p");
  });

  it("moves only pods a relevant plugin rejected when asked", () => {
    const q = new SchedulingQueue();
    q.markUnschedulable("fit", 0, 0, new Set(["NodeResourcesFit"]), 0);
    q.markUnschedulable("anti", 0, 0, new Set(["InterPodAffinity"]), 0);
    q.moveUnschedulable(60_000, new Set(["InterPodAffinity"]));
    expect(q.pop()).toBe("anti");
    expect(q.pop()).toBeUndefined();
    expect(q.isUnschedulable("fit")).toBe(true);
  });

  it("forgets deleted pods wherever they wait", () => {
    const q = new SchedulingQueue();
    q.add("a", 0, 0);
    q.add("b", 0, 1);
    q.delete("a");
    expect(q.pop()).toBe("b");
    expect(q.pendingCount).toBe(0);
  });
});
