import { describe, expect, it } from "vitest";
import { StatusError } from "../status.ts";
import { applyMergePatch } from "./merge-patch.ts";

// RFC 7386 appendix A, plus upstream's handling of non-object patches.
const cases: [string, unknown, unknown, unknown][] = [
  ["replace a value", { a: "b" }, { a: "c" }, { a: "c" }],
  ["add a key", { a: "b" }, { b: "c" }, { a: "b", b: "c" }],
  ["null removes", { a: "b" }, { a: null }, {}],
  ["null removes one of two", { a: "b", b: "c" }, { a: null }, { b: "c" }],
  ["array replaces", { a: ["b"] }, { a: "c" }, { a: "c" }],
  ["value replaces array", { a: "c" }, { a: ["b"] }, { a: ["b"] }],
  ["nested merge", { a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
  ["arrays are not merged", { a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
  ["array patch replaces document", ["a", "b"], ["c", "d"], ["c", "d"]],
  ["object patch onto array", ["a"], { a: "b" }, { a: "b" }],
  ["object patch onto scalar", "x", { a: "b" }, { a: "b" }],
  ["nested nulls of a new object are dropped", {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ["array patch drops null elements", {}, [1, null, 2], [1, 2]],
  ["null patch changes nothing", { a: 1 }, null, { a: 1 }],
  ["missing nested object is created", { a: 1 }, { b: { c: 2 } }, { a: 1, b: { c: 2 } }],
  ["nulls inside arrays are kept", {}, { a: [null, 1] }, { a: [null, 1] }],
  [
    "kubectl-style label change",
    { metadata: { name: "x", labels: { app: "web", tier: "a" } }, spec: { replicas: 1 } },
    { metadata: { labels: { tier: null, env: "prod" } }, spec: { replicas: 3 } },
    { metadata: { name: "x", labels: { app: "web", env: "prod" } }, spec: { replicas: 3 } },
  ],
];

describe("applyMergePatch", () => {
  it.each(cases)("%s", (_name, target, patch, want) => {
    const targetCopy = structuredClone(target);
    const patchCopy = structuredClone(patch);
    expect(applyMergePatch(target, patch)).toEqual(want);
    expect(target).toEqual(targetCopy);
    expect(patch).toEqual(patchCopy);
  });

  it("does not share structure with the target", () => {
    const target = { a: { b: [1] }, c: { d: 1 } };
    const out = applyMergePatch(target, { x: 1 }) as typeof target;
    out.a.b.push(2);
    out.c.d = 5;
    expect(target).toEqual({ a: { b: [1] }, c: { d: 1 } });
  });

  it.each([5, "x", true])("rejects the scalar patch %j with upstream's 400", (patch) => {
    let err: unknown;
    try {
      applyMergePatch({}, patch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).message).toBe("Invalid JSON Patch");
  });

  it("keeps __proto__ as data and never touches Object.prototype", () => {
    const patch = JSON.parse('{"__proto__": {"polluted": 1}, "a": {"__proto__": {"x": 1}}}');
    const out = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":1},"a":{"__proto__":{"x":1}}}');
  });
});
