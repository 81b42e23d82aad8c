import { describe, expect, it } from "vitest";
import { deleteOptions, listOptions, queryBool, writeOptions } from "./options.ts";

const q = (s: string) => new URLSearchParams(s);

describe("boolean query parameters (upstream's Convert_Slice_string_To_bool)", () => {
  it.each([
    ["watch=True", true], // the Python client's str(True)
    ["watch=true", true],
    ["watch=1", true],
    ["watch=yes", true],
    ["watch=", true], // present but empty is true upstream too
    ["watch", true],
    ["watch=false", false],
    ["watch=False", false],
    ["watch=FALSE", false],
    ["watch=0", false],
    ["", undefined],
  ])("%s → %s", (query, expected) => {
    expect(queryBool(q(query), "watch")).toBe(expected);
  });

  it("reads watch, allowWatchBookmarks and sendInitialEvents from a list's query", () => {
    const o = listOptions(q("watch=True&allowWatchBookmarks=True&sendInitialEvents=False"));
    expect([o.watch, o.allowWatchBookmarks, o.sendInitialEvents]).toEqual([true, true, false]);
  });

  it("reads force=True for server-side apply", () => {
    expect(writeOptions(q("fieldManager=py&force=True")).force).toBe(true);
    expect(writeOptions(q("fieldManager=py&force=False")).force).toBe(false);
  });

  it("reads orphanDependents=True as the Orphan policy, and the query over the body", () => {
    expect(deleteOptions(q("orphanDependents=True"), {}).propagationPolicy).toBe("Orphan");
    expect(deleteOptions(q("orphanDependents=false"), { orphanDependents: true }).propagationPolicy).toBe("Background");
  });
});
