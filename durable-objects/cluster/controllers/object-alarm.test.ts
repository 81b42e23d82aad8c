// The object's one alarm shared by the runner and the idle deadline: once the runner's queues are empty
// after a tick, the alarm goes to the deadline (or nowhere), never back to the spent due time.
import { describe, expect, it } from "vitest";
import { ObjectAlarm } from "./index.ts";
import { Runner } from "./runner.ts";
import type { Controller } from "./types.ts";

class FakeStorage {
  alarm: number | null = null;
  async setAlarm(at: number) {
    this.alarm = at;
  }
  async deleteAlarm() {
    this.alarm = null;
  }
}

/** A controller with one key to reconcile at start and nothing after. */
const oneShot: Controller = {
  name: "one-shot",
  keysFor: () => [],
  initialKeys: () => ["k"],
  reconcile: () => undefined,
};

function setup(deadline: number | null) {
  let now = 1_000;
  const storage = new FakeStorage();
  const alarm = new ObjectAlarm(storage as unknown as DurableObjectStorage, () => deadline);
  const runner = new Runner([oneShot], { now: () => now, clock: () => now, alarm });
  runner.start();
  /** What the object's alarm handler does when the alarm fires. */
  const fire = () => {
    now = storage.alarm ?? now;
    alarm.fired();
    runner.tick();
    alarm.sync();
  };
  return { storage, fire };
}

describe("ObjectAlarm", () => {
  it("goes to the deadline once the runner's queues are empty, not back to the spent due time", async () => {
    const { storage, fire } = setup(60_000);
    expect(storage.alarm).toBe(1_000);
    fire();
    await Promise.resolve();
    expect(storage.alarm).toBe(60_000);
  });

  it("is removed when there is no deadline and nothing is due", async () => {
    const { storage, fire } = setup(null);
    expect(storage.alarm).toBe(1_000);
    fire();
    await Promise.resolve();
    expect(storage.alarm).toBeNull();
  });
});
