import { describe, expect, it } from "vitest";
import {
  array,
  type Definitions,
  integer,
  intOrString,
  keyedList,
  kindObject,
  map,
  object,
  preserveUnknown,
  ref,
  resolve,
  type Schema,
  string,
  withPatch,
} from "./dsl.ts";
import { componentSchemas, danglingRefs, reachable, toOpenApi } from "./openapi.ts";

const defs: Definitions = {
  "x.Leaf": object({ v: string("a value") }, "A leaf.", { required: ["v"] }),
  "x.Alias": ref("x.Leaf"),
  "x.Loop": ref("x.Loop"),
  "x.Root": object({ leaf: ref("x.Leaf", "the leaf"), items: array(ref("x.Leaf")) }, "Root."),
  "x.Unused": object({}, "Not referenced."),
};

describe("DSL builders and OpenAPI rendering", () => {
  it.each<[string, Schema, Record<string, unknown>]>([
    ["string", string("d"), { type: "string", description: "d" }],
    ["integer", integer("n"), { type: "integer", format: "int32", description: "n" }],
    ["bare ref", ref("x.Leaf"), { $ref: "#/components/schemas/x.Leaf" }],
    [
      "described ref is wrapped in allOf",
      ref("x.Leaf", "doc"),
      { allOf: [{ $ref: "#/components/schemas/x.Leaf" }], description: "doc" },
    ],
    [
      "int-or-string reference",
      intOrString("port"),
      {
        allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString" }],
        description: "port",
      },
    ],
    ["map", map(string(), "m"), { type: "object", description: "m", additionalProperties: { type: "string" } }],
    [
      "keyed list carries list and patch extensions",
      keyedList(ref("x.Leaf"), "v", "l"),
      {
        type: "array",
        description: "l",
        items: { $ref: "#/components/schemas/x.Leaf" },
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["v"],
        "x-kubernetes-patch-merge-key": "v",
        "x-kubernetes-patch-strategy": "merge",
      },
    ],
    [
      "retainKeys on a ref field",
      withPatch(ref("x.Leaf", "s"), "retainKeys"),
      {
        allOf: [{ $ref: "#/components/schemas/x.Leaf" }],
        description: "s",
        "x-kubernetes-patch-strategy": "retainKeys",
      },
    ],
    [
      "free-form object",
      preserveUnknown("any"),
      { type: "object", description: "any", "x-kubernetes-preserve-unknown-fields": true },
    ],
  ])("%s", (_name, schema, expected) => {
    expect(toOpenApi(schema)).toEqual(expected);
  });

  it("gives top-level kinds the standard fields and their group-version-kind", () => {
    const gvk = { group: "apps", version: "v1", kind: "Thing" };
    const out = toOpenApi(kindObject(gvk, "A thing.", { spec: ref("x.Leaf", "s") }, { required: ["spec"] }));
    expect(Object.keys(out.properties as object)).toEqual(["apiVersion", "kind", "metadata", "spec"]);
    expect(out["x-kubernetes-group-version-kind"]).toEqual([gvk]);
    expect(out.required).toEqual(["spec"]);
  });
});

describe("definitions", () => {
  it("resolves references to their target and stops on loops", () => {
    expect(resolve(defs, ref("x.Alias"))).toBe(defs["x.Leaf"]);
    expect(resolve(defs, ref("x.Loop"))).toBeUndefined();
    expect(resolve(defs, ref("x.Missing"))).toBeUndefined();
  });

  it("collects exactly the reachable definitions", () => {
    expect(reachable(defs, ["x.Root"])).toEqual(["x.Leaf", "x.Root"]);
    expect(Object.keys(componentSchemas(defs, ["x.Alias"]))).toEqual(["x.Alias", "x.Leaf"]);
  });

  it("reports references to missing definitions", () => {
    expect(danglingRefs({ a: object({ b: ref("nope") }) })).toEqual(["a → nope"]);
  });
});
