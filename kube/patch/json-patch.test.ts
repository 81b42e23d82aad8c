import { describe, expect, it } from "vitest";
import { StatusError } from "../status.ts";
import { applyJsonPatch, maxJsonPatchOperations } from "./json-patch.ts";

type Case = [name: string, doc: unknown, ops: unknown[], want: unknown];

// Mostly RFC 6902 appendix A, plus JSON pointer escaping and upstream's extensions.
const applied: Case[] = [
  ["add an object member", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }], { foo: "bar", baz: "qux" }],
  [
    "add an array element",
    { foo: ["bar", "baz"] },
    [{ op: "add", path: "/foo/1", value: "qux" }],
    { foo: ["bar", "qux", "baz"] },
  ],
  ["add at the end with -", { foo: [1] }, [{ op: "add", path: "/foo/-", value: 2 }], { foo: [1, 2] }],
  ["add at index == length", { foo: [1] }, [{ op: "add", path: "/foo/1", value: 2 }], { foo: [1, 2] }],
  ["add replaces an existing member", { foo: 1 }, [{ op: "add", path: "/foo", value: 2 }], { foo: 2 }],
  ["add a nested member", { foo: {} }, [{ op: "add", path: "/foo/bar", value: [] }], { foo: { bar: [] } }],
  ["add without value adds null", { foo: 1 }, [{ op: "add", path: "/bar" }], { foo: 1, bar: null }],
  ["add the whole document", { foo: 1 }, [{ op: "add", path: "", value: { x: 1 } }], { x: 1 }],
  ["remove an object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], { foo: "bar" }],
  [
    "remove an array element",
    { foo: ["bar", "qux", "baz"] },
    [{ op: "remove", path: "/foo/1" }],
    { foo: ["bar", "baz"] },
  ],
  ["remove with a negative index", { foo: [1, 2, 3] }, [{ op: "remove", path: "/foo/-1" }], { foo: [1, 2] }],
  [
    "replace a value",
    { baz: "qux", foo: "bar" },
    [{ op: "replace", path: "/baz", value: "boo" }],
    { baz: "boo", foo: "bar" },
  ],
  ["replace an array element", { a: [1, 2] }, [{ op: "replace", path: "/a/0", value: 9 }], { a: [9, 2] }],
  [
    "move a value",
    { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
    [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
    { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
  ],
  [
    "move an array element",
    { foo: ["all", "grass", "cows", "eat"] },
    [{ op: "move", from: "/foo/1", path: "/foo/3" }],
    { foo: ["all", "cows", "eat", "grass"] },
  ],
  ["copy a value", { a: { b: [1] } }, [{ op: "copy", from: "/a", path: "/c" }], { a: { b: [1] }, c: { b: [1] } }],
  [
    "tests pass",
    { baz: "qux", foo: ["a", 2, "c"] },
    [
      { op: "test", path: "/baz", value: "qux" },
      { op: "test", path: "/foo/1", value: 2 },
    ],
    { baz: "qux", foo: ["a", 2, "c"] },
  ],
  [
    "test compares objects structurally",
    { a: { x: 1, y: [1, { z: 2 }] } },
    [{ op: "test", path: "/a", value: { y: [1, { z: 2 }], x: 1 } }],
    { a: { x: 1, y: [1, { z: 2 }] } },
  ],
  ["test null on a missing path passes", { a: 1 }, [{ op: "test", path: "/b", value: null }], { a: 1 }],
  [
    "~1 and ~0 escaping",
    { "a/b": 1, "m~n": 2 },
    [
      { op: "replace", path: "/a~1b", value: 3 },
      { op: "remove", path: "/m~0n" },
    ],
    { "a/b": 3 },
  ],
  ["empty key", { "": 1 }, [{ op: "replace", path: "/", value: 2 }], { "": 2 }],
  [
    "kubectl: add a label with an escaped key",
    { metadata: { labels: { app: "x" } } },
    [{ op: "add", path: "/metadata/labels/app.kubernetes.io~1name", value: "y" }],
    { metadata: { labels: { app: "x", "app.kubernetes.io/name": "y" } } },
  ],
  [
    "ops apply in sequence",
    { a: [] },
    [
      { op: "add", path: "/a/-", value: 1 },
      { op: "add", path: "/a/0", value: 0 },
      { op: "copy", from: "/a/1", path: "/b" },
    ],
    { a: [0, 1], b: 1 },
  ],
];

describe("applyJsonPatch: applied", () => {
  it.each(applied)("%s", (_name, doc, ops, want) => {
    const docCopy = structuredClone(doc);
    const opsCopy = structuredClone(ops);
    expect(applyJsonPatch(doc, ops)).toEqual(want);
    expect(doc).toEqual(docCopy);
    expect(ops).toEqual(opsCopy);
  });
});

function errorOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

// Upstream answers every failed operation with the same generic 422 message.
const failing: [string, unknown, unknown[], string][] = [
  ["remove a missing member", { a: 1 }, [{ op: "remove", path: "/b" }], "Unable to remove nonexistent key: b"],
  ["replace a missing member", { a: 1 }, [{ op: "replace", path: "/b", value: 1 }], "replace operation does not apply"],
  ["add under a missing parent", { a: 1 }, [{ op: "add", path: "/x/y", value: 1 }], "missing path"],
  ["add past the end", { a: [1] }, [{ op: "add", path: "/a/5", value: 1 }], "index out of bounds"],
  ["remove with -", { a: [1] }, [{ op: "remove", path: "/a/-" }], "invalid array index"],
  ["test fails", { baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }], "testing value /baz failed"],
  ["test of a string against a number", { a: "1" }, [{ op: "test", path: "/a", value: 1 }], "testing value /a failed"],
  ["test a missing path", { a: 1 }, [{ op: "test", path: "/b", value: 1 }], "testing value /b failed"],
  ["unknown op", { a: 1 }, [{ op: "frob", path: "/a" }], "Unexpected kind: frob"],
  ["missing path", { a: 1 }, [{ op: "add", value: 1 }], "operation missing path field"],
  ["move from a missing path", { a: 1 }, [{ op: "move", from: "/x", path: "/y" }], "missing from path"],
  ["move into a child", { a: { b: 1 } }, [{ op: "move", from: "/a", path: "/a/b/c" }], "into its own child"],
  ["pointer without leading slash", { a: 1 }, [{ op: "add", path: "a", value: 1 }], "JSON pointer"],
  ["a null operation", { a: 1 }, [null], "operation missing path field"],
];

describe("applyJsonPatch: failing operations", () => {
  it.each(failing)("%s", (_name, doc, ops, cause) => {
    const err = errorOf(() => applyJsonPatch(doc, ops));
    expect(err.code).toBe(422);
    expect(err.reason).toBe("Invalid");
    expect(err.message).toBe("the server rejected our request due to an error in our request");
    expect(String((err.cause as Error).message)).toContain(cause);
  });

  it("leaves the document alone when a later op fails", () => {
    const doc = { a: [1] };
    expect(() =>
      applyJsonPatch(doc, [
        { op: "add", path: "/a/-", value: 2 },
        { op: "remove", path: "/zz" },
      ]),
    ).toThrow();
    expect(doc).toEqual({ a: [1] });
  });
});

describe("applyJsonPatch: malformed patch documents", () => {
  it.each<[unknown, string]>([
    [{ op: "add" }, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"],
    ["x", "json: cannot unmarshal string into Go value of type jsonpatch.Patch"],
    [[1], "json: cannot unmarshal number into Go value of type jsonpatch.Operation"],
    [[[]], "json: cannot unmarshal array into Go value of type jsonpatch.Operation"],
  ])("%j → 400", (ops, message) => {
    const err = errorOf(() => applyJsonPatch({}, ops));
    expect(err.code).toBe(400);
    expect(err.message).toBe(message);
  });

  it("refuses more than the maximum number of operations with 413", () => {
    const ops = Array.from({ length: maxJsonPatchOperations + 1 }, () => ({ op: "test", path: "", value: {} }));
    const err = errorOf(() => applyJsonPatch({}, ops));
    expect(err.code).toBe(413);
    expect(err.message).toBe(
      `Request entity too large: The allowed maximum operations in a JSON patch is 10000, got ${maxJsonPatchOperations + 1}`,
    );
    expect(applyJsonPatch({}, ops.slice(1))).toEqual({});
  });

  it("keeps __proto__ as data", () => {
    const out = applyJsonPatch({}, [{ op: "add", path: "/__proto__", value: { polluted: 1 } }]) as object;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => applyJsonPatch({}, [{ op: "add", path: "/__proto__/polluted", value: 1 }])).toThrow(StatusError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
