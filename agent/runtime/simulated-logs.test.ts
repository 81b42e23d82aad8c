import { describe, expect, it } from "vitest";
import { simulatedLogLine } from "./simulated-logs.ts";

describe("simulatedLogLine", () => {
  it.each([
    [false, "simulated container abc: running\n"],
    [true, "2026-01-02T03:04:05.000Z simulated container abc: running\n"],
  ])("timestamps=%s", (timestamps, want) => {
    expect(simulatedLogLine("abc", "running", Date.parse("2026-01-02T03:04:05Z"), timestamps)).toBe(want);
  });
});
