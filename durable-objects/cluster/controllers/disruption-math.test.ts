import { describe, expect, it } from "vitest";
import {
  allowedCondition,
  type BudgetSpec,
  currentHealthy,
  disruptedPods,
  disruptionsAllowed,
  expectedPodCount,
  type PodFacts,
} from "./disruption-math.ts";

const pod = (name: string, extra: Partial<PodFacts> = {}): PodFacts => ({
  name,
  ready: true,
  deleting: false,
  controllerUid: "rs-1",
  ...extra,
});
const three = [pod("a"), pod("b"), pod("c")];
const scales: Record<string, number> = { "rs-1": 4, "rs-2": 2 };
const scaleOf = (uid: string) => scales[uid] ?? 0;

describe("expectedPodCount", () => {
  it.each<[string, BudgetSpec, PodFacts[], number, number]>([
    ["minAvailable int counts matching pods", { minAvailable: 2 }, three, 3, 2],
    ["minAvailable percent uses the controllers' scale, rounding up", { minAvailable: "50%" }, three, 4, 2],
    ["minAvailable 30% of 4 rounds up to 2", { minAvailable: "30%" }, three, 4, 2],
    ["maxUnavailable int", { maxUnavailable: 1 }, three, 4, 3],
    ["maxUnavailable percent rounds up (25% of 4 = 1)", { maxUnavailable: "25%" }, three, 4, 3],
    ["maxUnavailable above the scale floors at 0", { maxUnavailable: 10 }, three, 4, 0],
    ["two controllers add their scales", { maxUnavailable: 1 }, [pod("a"), pod("b", { controllerUid: "rs-2" })], 6, 5],
    ["pods of one controller count it once", { maxUnavailable: 0 }, [pod("a"), pod("b")], 4, 4],
    ["neither field", {}, three, 0, 0],
  ])("%s", (_name, spec, pods, expected, desired) => {
    const got = expectedPodCount(spec, pods, scaleOf);
    expect([got.expectedCount, got.desiredHealthy]).toEqual([expected, desired]);
  });

  it("names unmanaged pods for scale-based budgets, not for an integer minAvailable", () => {
    const pods = [pod("a"), pod("bare", { controllerUid: undefined })];
    expect(expectedPodCount({ maxUnavailable: 1 }, pods, scaleOf).unmanaged).toEqual(["bare"]);
    expect(expectedPodCount({ minAvailable: 1 }, pods, scaleOf).unmanaged).toEqual([]);
  });
});

describe("healthy pods and allowed disruptions", () => {
  const now = Date.parse("2026-01-01T00:10:00Z");
  it("skips unready, deleting and recently disrupted pods", () => {
    const pods = [pod("a"), pod("b", { ready: false }), pod("c", { deleting: true }), pod("d")];
    expect(currentHealthy(pods, { d: "2026-01-01T00:09:30Z" })).toBe(1);
  });

  it("keeps disrupted entries within two minutes, drops deleting pods and reports overdue ones", () => {
    const pods = [pod("a"), pod("b"), pod("c", { deleting: true })];
    const stored = { a: "2026-01-01T00:09:00Z", b: "2026-01-01T00:07:00Z", c: "2026-01-01T00:09:30Z", gone: "x" };
    expect(disruptedPods(pods, stored, now)).toEqual({
      kept: { a: "2026-01-01T00:09:00Z" },
      overdue: ["b"],
      recheckAt: Date.parse("2026-01-01T00:11:00Z"),
    });
  });

  it.each([
    [3, 2, 3, 1],
    [2, 2, 3, 0],
    [1, 2, 3, 0],
    [3, 0, 0, 0],
  ])("healthy %i, desired %i, expected %i → %i", (healthy, desired, expected, want) => {
    expect(disruptionsAllowed(healthy, desired, expected)).toBe(want);
  });
});

describe("allowedCondition", () => {
  const T1 = "2026-01-01T00:00:00Z";
  const T2 = "2026-01-01T00:05:00Z";
  it("is SufficientPods when disruptions are allowed, InsufficientPods otherwise", () => {
    expect(allowedCondition(undefined, 1, T1, 1)[0]).toMatchObject({ status: "True", reason: "SufficientPods" });
    expect(allowedCondition(undefined, 0, T1, 1)[0]).toMatchObject({ status: "False", reason: "InsufficientPods" });
  });
  it("keeps lastTransitionTime while the status holds and moves it on a change", () => {
    const first = allowedCondition(undefined, 0, T1, 1);
    expect(allowedCondition(first, 0, T2, 2)[0].lastTransitionTime).toBe(T1);
    expect(allowedCondition(first, 2, T2, 2)[0].lastTransitionTime).toBe(T2);
  });
  it("reports a sync failure", () => {
    expect(allowedCondition(undefined, 3, T1, 1, "boom")[0]).toMatchObject({
      status: "False",
      reason: "SyncFailed",
      message: "boom",
    });
  });
});
