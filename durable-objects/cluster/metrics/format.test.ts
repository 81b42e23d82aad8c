import { describe, expect, it } from "vitest";
import { cpuQuantity, goDuration, memoryQuantity } from "./format.ts";

describe("cpuQuantity (nanocores, canonical DecimalSI)", () => {
  it.each([
    [0, "0"],
    [123456, "123456n"],
    [5_000_000, "5m"],
    [5_100_000, "5100u"],
    [120_000, "120u"],
    [1_000_000_000, "1"],
    [1_500_000_000, "1500m"],
    [2_000_000_000_000, "2k"],
    [12_340, "12340n"],
    [10, "10n"],
  ])("%d → %s", (n, text) => {
    expect(cpuQuantity(n)).toBe(text);
  });
});

describe("memoryQuantity (bytes, canonical BinarySI)", () => {
  it.each([
    [0, "0"],
    [512, "512"],
    [1000, "1k"],
    [1024, "1Ki"],
    [1_263_616, "1234Ki"],
    [1_048_576, "1Mi"],
    [1_234_567, "1234567"],
    [3 * 2 ** 30, "3Gi"],
  ])("%d → %s", (n, text) => {
    expect(memoryQuantity(n)).toBe(text);
  });
});

describe("goDuration", () => {
  it.each([
    [10, "10s"],
    [10.039, "10.039s"],
    [0.5, "500ms"],
    [60, "1m0s"],
    [90.5, "1m30.5s"],
    [3725, "1h2m5s"],
    [0, "0s"],
  ])("%d s → %s", (s, text) => {
    expect(goDuration(s)).toBe(text);
  });
});
