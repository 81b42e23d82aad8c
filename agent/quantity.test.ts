import { describe, expect, it } from "vitest";
import { memoryQuantity, parseQuantity } from "./quantity.ts";

describe("parseQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["2", 2],
    ["1.5", 1.5],
    ["64Mi", 64 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["128M", 128e6],
    ["1k", 1000],
    ["1e3", 1000],
    ["100n", 100e-9],
  ])("%s → %d", (text, value) => expect(parseQuantity(text)).toBeCloseTo(value, 12));

  it.each(["", "abc", "1Q", "Mi", "1.2.3"])("rejects %j", (text) => expect(parseQuantity(text)).toBeUndefined());
});

it("memoryQuantity is whole kibibytes", () => {
  expect(memoryQuantity(16 * 2 ** 30 + 1000)).toBe(`${16 * 2 ** 20}Ki`);
});
