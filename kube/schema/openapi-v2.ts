// Renders schemas as OpenAPI v2 (Swagger 2.0, the shape kube-openapi serves at /openapi/v2): definitions
// referred to as #/definitions/<name>, a field's own description beside its $ref (v2 readers, kubectl's
// among them, take the $ref and ignore the rest), and the hand-written scalars as upstream's v2 has them
// (Quantity a string, IntOrString a string of format int-or-string).
import type { Definitions, Schema } from "./dsl.ts";
import { compact, type OpenApiSchema, patchExtensions, reachable, structuralOpenApi } from "./openapi.ts";

export function toOpenApiV2(s: Schema): OpenApiSchema {
  const patch = patchExtensions(s);
  switch (s.kind) {
    case "ref":
      return compact({ $ref: `#/definitions/${s.name}`, description: s.description, ...patch });
    case "scalar":
      return compact({ type: s.type, format: s.format, enum: s.enum, description: s.description, ...patch });
    case "opaque":
      return compact({ type: "string", format: s.openapi.format, description: s.description, ...patch });
    default:
      return structuralOpenApi(s, toOpenApiV2) as OpenApiSchema;
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
