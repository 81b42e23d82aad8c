import { expect, it } from "vitest";
import { INT_OR_STRING, QUANTITY } from "./dsl.ts";
import { swaggerDocument, toOpenApiV2 } from "./openapi-v2.ts";
import { definitions } from "./registry.ts";

it("writes references as v2 $refs with the field's own description beside them", () => {
  expect(toOpenApiV2({ kind: "ref", name: "io.k8s.api.core.v1.PodSpec", description: "Spec." })).toEqual({
    $ref: "#/definitions/io.k8s.api.core.v1.PodSpec",
    description: "Spec.",
  });
});

it("writes Quantity and IntOrString as upstream's v2 does", () => {
  expect(toOpenApiV2(definitions[QUANTITY])).toMatchObject({ type: "string" });
  expect(toOpenApiV2(definitions[QUANTITY])).not.toHaveProperty("oneOf");
  expect(toOpenApiV2(definitions[INT_OR_STRING])).toMatchObject({ type: "string", format: "int-or-string" });
});

it("a document of the Pod holds every definition it refers to, and the Pod's group-version-kind", () => {
  const doc = swaggerDocument(definitions, ["io.k8s.api.core.v1.Pod"], "v1.32.0");
  const defs = doc.definitions as Record<string, Record<string, unknown>>;
  const refs = [...JSON.stringify(defs).matchAll(/"#\/definitions\/([^"]+)"/g)].map((m) => m[1]);
  expect(refs.length).toBeGreaterThan(10);
  expect(refs.filter((r) => !defs[r])).toEqual([]);
  expect(defs["io.k8s.api.core.v1.Pod"]["x-kubernetes-group-version-kind"]).toEqual([
    { group: "", version: "v1", kind: "Pod" },
  ]);
  expect(JSON.stringify(defs)).not.toContain("#/components/");
});
