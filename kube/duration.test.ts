import { describe, expect, it } from "vitest";
import { humanDuration, timestampAge } from "./duration.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanDuration", () => {
  it.each([
    [-5 * s, "<invalid>"],
    [-1 * s, "0s"],
    [0, "0s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [2 * m + 5 * s, "2m5s"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 20 * m, "3h20m"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [2 * d + 3 * h, "2d3h"],
    [100 * d, "100d"],
    [2 * 365 * d, "2y"],
    [3 * 365 * d + 10 * d, "3y10d"],
    [9 * 365 * d, "9y"],
  ])("%d ms prints %s", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it("prints <unknown> for a missing timestamp", () => {
    expect(timestampAge(undefined, Date.now())).toBe("<unknown>");
    expect(timestampAge("2026-01-01T00:00:00Z", Date.parse("2026-01-01T00:05:00Z"))).toBe("5m");
  });
});
