import { describe, expect, it } from "vitest";
import { deepEqual } from "./deep-equal.ts";

describe("deepEqual", () => {
  it.each([
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [[1, 2], [2, 1], false],
    [{ a: { b: null } }, { a: { b: null } }, true],
    [{ a: 1 }, { a: "1" }, false],
    [{ a: [] }, { a: {} }, false],
    [null, {}, false],
  ])("%j vs %j is %s", (a, b, equal) => {
    expect(deepEqual(a, b)).toBe(equal);
  });
});
