import { describe, expect, it } from "vitest";
import {
  maxSurge,
  maxUnavailable,
  newSetReplicas,
  type RolloutSpec,
  resolveFenceposts,
  type SetSize,
  scaleDownOld,
  scaleProportionally,
} from "./deployment-math.ts";

const rolling = (replicas: number, s: number | string, u: number | string): RolloutSpec => ({
  replicas,
  strategy: "RollingUpdate",
  maxSurge: s,
  maxUnavailable: u,
});
const set = (name: string, replicas: number, available: number, created: number, maxReplicas?: number): SetSize => ({
  name,
  replicas,
  available,
  created,
  maxReplicas,
});

describe("fenceposts", () => {
  it.each([
    // replicas, surge, unavailable → surge, unavailable (surge rounds up, unavailable down)
    [10, "25%", "25%", 3, 2],
    [4, "25%", "25%", 1, 1],
    [3, "25%", "25%", 1, 0],
    [1, "25%", "25%", 1, 0],
    [5, 0, 0, 0, 1], // both zero: one may be unavailable
    [5, "0%", "0%", 0, 1],
    [5, 2, "50%", 2, 2],
  ])("%i replicas, surge %s, unavailable %s", (replicas, s, u, surge, unavailable) => {
    expect(resolveFenceposts(rolling(replicas, s, u))).toEqual({ surge, unavailable });
  });

  it("caps unavailability at the replica count and ignores both for Recreate", () => {
    expect(maxUnavailable(rolling(2, 0, 5))).toBe(2);
    expect(maxUnavailable(rolling(0, 1, 1))).toBe(0);
    expect(maxUnavailable({ replicas: 3, strategy: "Recreate" })).toBe(0);
    expect(maxSurge({ replicas: 3, strategy: "Recreate" })).toBe(0);
  });
});

describe("new set growth", () => {
  it.each([
    // replicas, surge, sizes of all sets (new last), new size → allowed new size
    [4, 1, [4, 0], 0, 1],
    [4, 1, [3, 1], 1, 2],
    [4, 1, [4, 1], 1, 1], // at replicas + surge already
    [4, 2, [4, 0], 0, 2],
    [4, "100%", [4, 0], 0, 4], // never more than replicas
    [3, 1, [0, 2], 2, 3],
  ])("%i replicas, surge %s, sets %j", (replicas, surge, sizes, current, want) => {
    const all = (sizes as number[]).map((n, i) => set(`rs${i}`, n, n, i));
    expect(newSetReplicas(rolling(replicas, surge, 0), all, current)).toBe(want);
  });

  it("takes the full count at once for Recreate", () => {
    expect(newSetReplicas({ replicas: 5, strategy: "Recreate" }, [set("a", 0, 0, 0)], 0)).toBe(5);
  });
});

describe("old set shrinking", () => {
  it("scales down available old pods only down to replicas − maxUnavailable", () => {
    // 4 old available, new has 1 not yet available: 5 pods, min available 3.
    const sizes = scaleDownOld(rolling(4, 1, 1), [set("old", 4, 4, 0)], set("new", 1, 0, 1));
    expect(sizes.get("old")).toBe(3);
  });

  it("does nothing while the new set's unavailable pods eat the budget", () => {
    const sizes = scaleDownOld(rolling(4, 1, 1), [set("old", 3, 3, 0)], set("new", 2, 0, 1));
    expect(sizes.get("old")).toBe(3);
  });

  it("removes unhealthy old replicas first, oldest set first", () => {
    const old = [set("older", 2, 0, 0), set("old", 3, 3, 1)];
    const sizes = scaleDownOld(rolling(4, 1, 1), old, set("new", 1, 1, 2));
    expect(sizes.get("older")).toBe(0);
    // available 4 (3 old + 1 new) above the minimum 3: one more goes.
    expect(sizes.get("old")).toBe(2);
  });

  it("keeps everything when no old set has replicas", () => {
    expect(scaleDownOld(rolling(4, 1, 1), [set("old", 0, 0, 0)], set("new", 4, 4, 1)).get("old")).toBe(0);
  });
});

describe("proportional scaling", () => {
  it("spreads a scale-up over the sets by their share, leftovers to the largest", () => {
    // Mid-rollout at 10 (+3 surge): old 8, new 5 = 13; resized to 20 (+5 surge → 25).
    const sizes = scaleProportionally(
      rolling(20, "25%", "25%"),
      [set("old", 8, 8, 0, 13), set("new", 5, 0, 1, 13)],
      13,
    );
    expect(sizes.get("old")! + sizes.get("new")!).toBe(25);
    expect(sizes.get("old")).toBe(15);
    expect(sizes.get("new")).toBe(10);
  });

  it("shrinks every set toward zero when scaled to zero", () => {
    const sizes = scaleProportionally(rolling(0, 1, 1), [set("old", 3, 3, 0, 5), set("new", 2, 2, 1, 5)], 5);
    expect([sizes.get("old"), sizes.get("new")]).toEqual([0, 0]);
  });
});
