import { describe, expect, it } from "vitest";
import { median, percentile, summarize } from "./stats.ts";

describe("percentile (nearest rank)", () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [50, 5],
    [90, 9],
    [99, 10],
    [100, 10],
    [0, 1],
    [10, 1],
    [11, 2],
  ])("p%d = %d", (p, want) => expect(percentile(sorted, p)).toBe(want));
  it("is NaN without samples", () => expect(percentile([], 50)).toBeNaN());
});

describe("summarize / median", () => {
  it("sorts unsorted input", () => {
    const s = summarize([30, 10, 20]);
    expect(s).toMatchObject({ count: 3, p50Ms: 20, maxMs: 30, meanMs: 20 });
  });
  it("median of odd and even counts", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});
