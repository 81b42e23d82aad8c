import { describe, expect, it } from "vitest";
import type { KubeObject, WatchEvent } from "../../kube/types.ts";
import { applyWatchEvent, fromList, LineSplitter, objectKey } from "./watch.ts";

const pod = (name: string, rv: string, namespace = "default"): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, resourceVersion: rv },
});

describe("LineSplitter", () => {
  const cases: { chunks: string[]; want: string[] }[] = [
    { chunks: ['{"a":1}\n'], want: ['{"a":1}'] },
    { chunks: ['{"a"', ":1}\n{", '"b":2}\n'], want: ['{"a":1}', '{"b":2}'] },
    { chunks: ['{"a":1}\n\n', '{"b":2}'], want: ['{"a":1}'] },
    { chunks: ["\n", "  \n"], want: [] },
  ];
  for (const { chunks, want } of cases) {
    it(`${JSON.stringify(chunks)} → ${want.length} lines`, () => {
      const s = new LineSplitter();
      expect(chunks.flatMap((c) => s.push(c))).toEqual(want);
    });
  }
});

describe("objectKey", () => {
  it("namespaces namespaced objects only", () => {
    expect(objectKey(pod("web", "1"))).toBe("default/web");
    expect(objectKey({ apiVersion: "v1", kind: "Node", metadata: { name: "n1" } })).toBe("n1");
  });
});

describe("applyWatchEvent", () => {
  const start = fromList([pod("a", "1"), pod("b", "2")]);
  it("adds, replaces and deletes by key without mutating the input", () => {
    const added = applyWatchEvent(start, { type: "ADDED", object: pod("c", "3") });
    expect(added.kind).toBe("changed");
    if (added.kind !== "changed") return;
    expect([...added.items.keys()]).toEqual(["default/a", "default/b", "default/c"]);
    expect(added.resourceVersion).toBe("3");
    expect(start.size).toBe(2);

    const modified = applyWatchEvent(added.items, { type: "MODIFIED", object: pod("a", "4") });
    if (modified.kind !== "changed") throw new Error("want changed");
    expect(modified.items.get("default/a")?.metadata.resourceVersion).toBe("4");

    const deleted = applyWatchEvent(modified.items, { type: "DELETED", object: pod("b", "5") });
    if (deleted.kind !== "changed") throw new Error("want changed");
    expect([...deleted.items.keys()]).toEqual(["default/a", "default/c"]);
  });
  it("bookmarks only move the resource version", () => {
    const out = applyWatchEvent(start, { type: "BOOKMARK", object: pod("", "9") });
    expect(out).toEqual({ kind: "bookmark", resourceVersion: "9" });
  });
  it("an ERROR event (410 Gone) asks for a relist", () => {
    const gone = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code: 410, reason: "Expired" };
    const out = applyWatchEvent(start, { type: "ERROR", object: gone } as WatchEvent);
    expect(out.kind).toBe("relist");
  });
});
