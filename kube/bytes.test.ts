import { describe, expect, it } from "vitest";
import { concatBytes } from "./bytes.ts";

describe("concatBytes", () => {
  it.each([
    [[], []],
    [[[1, 2]], [1, 2]],
    [
      [[1], [], [2, 3], [4]],
      [1, 2, 3, 4],
    ],
  ])("%j → %j", (parts, want) => {
    expect([...concatBytes(parts.map((p) => new Uint8Array(p)))]).toEqual(want);
  });

  it("copies: the result does not alias a part", () => {
    const part = new Uint8Array([7]);
    const out = concatBytes([part]);
    part[0] = 8;
    expect(out[0]).toBe(7);
  });

  it("reads a part that is a view into a larger buffer at its offset", () => {
    const view = new Uint8Array([0, 1, 2, 3]).subarray(2);
    expect([...concatBytes([view, view])]).toEqual([2, 3, 2, 3]);
  });
});
