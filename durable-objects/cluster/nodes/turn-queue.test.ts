import { describe, expect, it } from "vitest";
import { TurnQueue } from "./turn-queue.ts";

/** A hand-driven event loop: `later` queues, `turn()` runs what was queued before it. */
function loop() {
  const waiting: (() => void)[] = [];
  return {
    later: (fn: () => void) => waiting.push(fn),
    turn: () => {
      for (const fn of waiting.splice(0)) fn();
    },
    pending: () => waiting.length,
  };
}

describe("TurnQueue", () => {
  it("runs nothing in the turn a job arrives, then perTurn jobs a turn in order", () => {
    const l = loop();
    const q = new TurnQueue(2, l.later);
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) q.push(() => ran.push(i));
    expect(ran).toEqual([]);
    expect(l.pending()).toBe(1); // one timer for the whole queue
    l.turn();
    expect(ran).toEqual([0, 1]);
    l.turn();
    l.turn();
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    expect(l.pending()).toBe(0);
    expect(q.size).toBe(0);
  });

  it("lets other work in between batches: a job pushed by a job waits its turn", () => {
    const l = loop();
    const q = new TurnQueue(1, l.later);
    const ran: string[] = [];
    q.push(() => {
      ran.push("a");
      q.push(() => ran.push("c"));
    });
    q.push(() => ran.push("b"));
    l.turn();
    expect(ran).toEqual(["a"]);
    l.turn();
    l.turn();
    expect(ran).toEqual(["a", "b", "c"]);
  });

  it("keeps going after a job throws, and forgets what it ran", () => {
    const l = loop();
    const q = new TurnQueue(1, l.later);
    const ran: number[] = [];
    q.push(() => {
      throw new Error("boom");
    });
    for (let i = 0; i < 2000; i++) q.push(() => ran.push(i));
    expect(() => l.turn()).toThrow("boom");
    while (l.pending() > 0) l.turn();
    expect(ran.length).toBe(2000);
    expect(q.size).toBe(0);
  });

  it("lets a request wait for its turn behind those before it", async () => {
    const l = loop();
    const q = new TurnQueue(1, l.later);
    const ran: string[] = [];
    q.push(() => ran.push("sync"));
    const request = q.turn().then(() => ran.push("join"));
    l.turn();
    await Promise.resolve();
    expect(ran).toEqual(["sync"]);
    l.turn();
    await request;
    expect(ran).toEqual(["sync", "join"]);
  });
});
