// Pure, but run with the workers tests (the unit config does not cover limits/).
import { describe, expect, it } from "vitest";
import { type ClusterPlan, DEFAULT_PUBLIC_LIMITS, isClusterPlan, withPlanDefaults } from "./types.ts";

const PLAN: ClusterPlan = {
  name: "playground",
  nodes: 10,
  pods: 200,
  objects: 5000,
  storedBytes: 52428800,
  requestsPerSecond: 50,
  publicRequestsPerSecond: 20,
  publicBodyBytes: 1048576,
  idleTtlSeconds: 86400,
};

describe("isClusterPlan", () => {
  it.each([
    ["a full plan", PLAN, true],
    ["no public rate", { ...PLAN, publicRequestsPerSecond: undefined }, false],
    ["a public rate of 0", { ...PLAN, publicRequestsPerSecond: 0 }, false],
    ["no public body size", { ...PLAN, publicBodyBytes: undefined }, false],
    ["a public body size of 0 (bodies refused)", { ...PLAN, publicBodyBytes: 0 }, true],
    ["a fractional public body size", { ...PLAN, publicBodyBytes: 1.5 }, false],
    ["no name", { ...PLAN, name: "" }, false],
  ])("%s: %s", (_, plan, expected) => {
    expect(isClusterPlan(plan)).toBe(expected);
  });
});

describe("withPlanDefaults", () => {
  it("fills the public limits into a plan stored before they existed", () => {
    const { publicRequestsPerSecond, publicBodyBytes, ...old } = PLAN;
    const filled = withPlanDefaults(old as ClusterPlan);
    expect(filled).toEqual({ ...old, ...DEFAULT_PUBLIC_LIMITS });
    expect(isClusterPlan(filled)).toBe(true);
  });

  it("keeps a plan's own values", () => {
    const own = { ...PLAN, publicRequestsPerSecond: 3, publicBodyBytes: 7 };
    expect(withPlanDefaults(own)).toEqual(own);
  });
});
