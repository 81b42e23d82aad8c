import { describe, expect, it } from "vitest";
import { findDuplicateFields } from "./duplicates.ts";

describe("findDuplicateFields", () => {
  it.each([
    ["none", '{"a":1,"b":{"a":2}}', []],
    ["top level", '{"kind":"Pod","kind":"Pod"}', ["kind"]],
    ["nested", '{"metadata":{"name":"a","labels":{},"name":"b"}}', ["metadata.name"]],
    [
      "inside list elements, each element on its own",
      '{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y","image":"z"}]}}',
      ["spec.containers[1].image"],
    ],
    ["same key in sibling objects is fine", '{"a":{"x":1},"b":{"x":1}}', []],
    ["three times", '{"a":1,"a":2,"a":3}', ["a", "a"]],
    ["escaped keys are decoded", '{"a\\u0062":1,"ab":2}', ["ab"]],
    ["strings with braces and quotes", '{"a":"}\\"{","a":"]"}', ["a"]],
    ["whitespace and literals", '{ "a" : [ 1 , true , null ] ,\n "b" : -1.5e3 , "a" : false }', ["a"]],
    ["not JSON (YAML)", "a: 1\na: 2\n", []],
    ["a list body", "[1, 2]", []],
    ["malformed: what came before the error", '{"a":1,"a":2,"b":', ["a"]],
  ])("%s", (_name, text, expected) => {
    expect(findDuplicateFields(text)).toEqual(expected);
  });

  it("survives absurd nesting", () => {
    const deep = `{"a":${"[".repeat(200_000)}`;
    expect(findDuplicateFields(deep)).toEqual([]);
  });
});
