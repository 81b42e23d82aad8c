import { describe, expect, it } from "vitest";
import type { Change } from "../store/object-store.ts";
import { BATCH_DELAY_MS, Runner } from "./runner.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { backoffDelay } from "./work-queue.ts";

/** A controller whose keys are the changed entries' keys and whose reconcile is scripted. */
class Fake implements Controller {
  readonly name: string;
  calls: string[] = [];
  initial: string[] = [];
  script: (key: string) => ReconcileResult | undefined = () => undefined;
  constructor(name: string) {
    this.name = name;
  }
  keysFor(change: Change): string[] {
    return [change.entry.key];
  }
  initialKeys(): string[] {
    return this.initial;
  }
  reconcile(key: string): ReconcileResult | undefined {
    this.calls.push(key);
    return this.script(key);
  }
}

const change = (key: string) => ({ type: "MODIFIED", entry: { key } }) as unknown as Change;

function setup(...controllers: Fake[]) {
  let now = 1_000_000;
  const alarms: (number | null)[] = [];
  const runner = new Runner(controllers, {
    now: () => now,
    clock: () => 0,
    alarm: { arm: (at) => alarms.push(at) },
    onError: () => {},
  });
  return { runner, alarms, advance: (ms: number) => (now += ms), now: () => now };
}

describe("reconciliation runner", () => {
  it("arms nothing when idle and nothing on start without keys", () => {
    const { runner, alarms } = setup(new Fake("a"));
    runner.start();
    expect(alarms).toEqual([]);
    expect(runner.tick().next).toBeNull();
  });

  it("batches a burst of changes into one alarm and dedups keys", () => {
    const a = new Fake("a");
    const { runner, alarms, advance, now } = setup(a);
    runner.onChange(change("k1"));
    runner.onChange(change("k1"));
    runner.onChange(change("k2"));
    expect(alarms).toEqual([now() + BATCH_DELAY_MS]);
    advance(BATCH_DELAY_MS);
    const report = runner.tick();
    expect(a.calls).toEqual(["k1", "k2"]);
    expect(report).toMatchObject({ reconciled: 2, failed: 0, next: null });
    expect(alarms).toHaveLength(1); // the fired alarm is spent; nothing re-arms it
  });

  it("retries a failing key with growing back-off without blocking others", () => {
    const a = new Fake("a");
    a.script = (key) => {
      if (key === "bad") throw new Error("boom");
      return undefined;
    };
    const { runner, advance, now } = setup(a);
    runner.onChange(change("bad"));
    runner.onChange(change("good"));
    advance(BATCH_DELAY_MS);
    const first = runner.tick();
    expect(first).toMatchObject({ reconciled: 2, failed: 1 });
    expect(first.next).toBe(now() + backoffDelay(1));
    advance(backoffDelay(1));
    expect(runner.tick().next).toBe(now() + backoffDelay(2));
    expect(backoffDelay(2)).toBe(2 * backoffDelay(1));
    expect(a.calls.filter((k) => k === "good")).toHaveLength(1);
  });

  it("re-queues after requeueAfterMs and arms the alarm for that deadline", () => {
    const a = new Fake("a");
    a.script = () => ({ requeueAfterMs: 60_000 });
    const { runner, alarms, advance, now } = setup(a);
    runner.onChange(change("d"));
    advance(BATCH_DELAY_MS);
    expect(runner.tick().next).toBe(now() + 60_000);
    expect(alarms.at(-1)).toBe(now() + 60_000);
    advance(30_000);
    expect(runner.tick().reconciled).toBe(0); // an early alarm (e.g. another deadline) does nothing
  });

  it("bounds a tick and carries the rest to the next alarm", () => {
    const a = new Fake("a");
    const { now } = setup();
    const alarms: (number | null)[] = [];
    const runner = new Runner([a], { now, clock: () => 0, alarm: { arm: (at) => alarms.push(at) }, maxReconciles: 3 });
    a.initial = ["1", "2", "3", "4", "5"];
    runner.start();
    expect(runner.tick()).toMatchObject({ reconciled: 3, next: now() });
    expect(runner.tick()).toMatchObject({ reconciled: 2, next: null });
  });

  it("rebuilds its queues on start from every controller's keys", () => {
    const a = new Fake("a");
    const b = new Fake("b");
    a.initial = ["x"];
    b.initial = ["y", "z"];
    const { runner, alarms, now } = setup(a, b);
    runner.start();
    expect(alarms).toEqual([now()]);
    runner.tick();
    expect([...a.calls, ...b.calls]).toEqual(["x", "y", "z"]);
  });

  it("stops a tick on its time budget", () => {
    const a = new Fake("a");
    let clock = 0;
    a.script = () => {
      clock += 30;
      return undefined;
    };
    a.initial = ["1", "2", "3", "4"];
    const runner = new Runner([a], { now: () => 0, clock: () => clock, alarm: { arm: () => {} }, budgetMs: 50 });
    runner.start();
    expect(runner.tick().reconciled).toBe(2);
  });

  it("counts ticks, empty ticks, reconciles and failures per controller", () => {
    const a = new Fake("a");
    const b = new Fake("b");
    b.script = (key) => {
      if (key === "bad") throw new Error("boom");
      return undefined;
    };
    const { runner, advance } = setup(a, b);
    expect(runner.stats()).toMatchObject({ ticks: 0, reconciles: 0, failures: 0, maxReconcilesPerTick: 0 });
    for (const k of ["k1", "k2", "bad"]) runner.onChange(change(k));
    advance(BATCH_DELAY_MS);
    runner.tick(); // a: k1 k2 bad; b: k1 k2 bad (fails)
    runner.tick(); // nothing due: bad waits for its back-off
    expect(runner.stats()).toEqual({
      ticks: 2,
      emptyTicks: 1,
      reconciles: 6,
      failures: 1,
      maxReconcilesPerTick: 6,
      byController: {
        a: { reconciles: 3, failures: 0, pending: 0 },
        b: { reconciles: 3, failures: 1, pending: 1 },
      },
    });
  });
});
