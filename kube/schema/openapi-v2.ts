// Renders schemas as OpenAPI v2 (Swagger 2.0, the shape kube-openapi serves at /openapi/v2): definitions
// referred to as #/definitions/<name>, a field's own description beside its $ref (v2 readers, kubectl's
// among them, take the $ref and ignore the rest), and the hand-written scalars as upstream's v2 has them
// (Quantity a string, IntOrString a string of format int-or-string).
import type { Definitions, Schema } from "./dsl.ts";
import { type OpenApiSchema, reachable } from "./openapi.ts";

function compact(o: Record<string, unknown>): OpenApiSchema {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function toOpenApiV2(s: Schema): OpenApiSchema {
  const patch = {
    "x-kubernetes-patch-merge-key": s.patchMergeKey,
    "x-kubernetes-patch-strategy": s.patchStrategy,
  };
  switch (s.kind) {
    case "ref":
      return compact({ $ref: `#/definitions/${s.name}`, description: s.description, ...patch });
    case "scalar":
      return compact({ type: s.type, format: s.format, enum: s.enum, description: s.description, ...patch });
    case "opaque":
      return compact({ type: "string", format: s.openapi.format, description: s.description, ...patch });
    case "map":
      return compact({
        type: "object",
        description: s.description,
        additionalProperties: toOpenApiV2(s.value),
        ...patch,
      });
    case "array":
      return compact({
        type: "array",
        description: s.description,
        items: toOpenApiV2(s.items),
        "x-kubernetes-list-type": s.listType,
        "x-kubernetes-list-map-keys": s.mapKeys,
        ...patch,
      });
    case "object": {
      const props = Object.entries(s.properties);
      return compact({
        type: "object",
        description: s.description,
        properties: props.length ? Object.fromEntries(props.map(([k, v]) => [k, toOpenApiV2(v)])) : undefined,
        required: s.required?.length ? s.required : undefined,
        "x-kubernetes-preserve-unknown-fields": s.preserveUnknown || undefined,
        "x-kubernetes-map-type": s.mapType,
        "x-kubernetes-group-version-kind": s.gvk,
        ...patch,
      });
    }
  }
}

/** A Swagger 2.0 document of the given roots and everything they refer to (no paths: see api/openapi-v2.ts). */
export function swaggerDocument(defs: Definitions, roots: readonly string[], version: string): OpenApiSchema {
  return {
    swagger: "2.0",
    info: { title: "Kubernetes", version },
    paths: {},
    definitions: Object.fromEntries(reachable(defs, roots).map((name) => [name, toOpenApiV2(defs[name])])),
  };
}
