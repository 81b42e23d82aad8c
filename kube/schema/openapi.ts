// Renders schemas as OpenAPI v3 (the shape kube-openapi publishes): named definitions under
// components.schemas, `$ref` between them, and `allOf: [{$ref}]` where a field attaches its own
// description to a referenced type (OpenAPI 3.0 ignores siblings of a bare $ref).
import type { Definitions, Schema } from "./dsl.ts";

export type OpenApiSchema = Record<string, unknown>;

const refTo = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Drops undefined members so the documents stay compact and stable. */
export function compact(o: Record<string, unknown>): OpenApiSchema {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

export function patchExtensions(s: Schema): OpenApiSchema {
  return compact({
    "x-kubernetes-patch-merge-key": s.patchMergeKey,
    "x-kubernetes-patch-strategy": s.patchStrategy,
  });
}

/**
 * The parts of a schema that OpenAPI v2 and v3 write alike (maps, arrays, objects), each nested schema
 * rendered by `render`; undefined for references and scalars, which the versions write differently.
 */
export function structuralOpenApi(s: Schema, render: (s: Schema) => OpenApiSchema): OpenApiSchema | undefined {
  const patch = patchExtensions(s);
  switch (s.kind) {
    case "map":
      return compact({ type: "object", description: s.description, additionalProperties: render(s.value), ...patch });
    case "array":
      return compact({
        type: "array",
        description: s.description,
        items: render(s.items),
        "x-kubernetes-list-type": s.listType,
        "x-kubernetes-list-map-keys": s.mapKeys,
        ...patch,
      });
    case "object": {
      const props = Object.entries(s.properties);
      return compact({
        type: "object",
        description: s.description,
        properties: props.length ? Object.fromEntries(props.map(([k, v]) => [k, render(v)])) : undefined,
        required: s.required?.length ? s.required : undefined,
        "x-kubernetes-preserve-unknown-fields": s.preserveUnknown || undefined,
        "x-kubernetes-map-type": s.mapType,
        "x-kubernetes-group-version-kind": s.gvk,
        ...patch,
      });
    }
    default:
      return undefined;
  }
}

export function toOpenApi(s: Schema): OpenApiSchema {
  const patch = patchExtensions(s);
  switch (s.kind) {
    case "ref":
      if (s.description === undefined && Object.keys(patch).length === 0) return refTo(s.name);
      return compact({ allOf: [refTo(s.name)], description: s.description, ...patch });
    case "scalar":
      return compact({ type: s.type, format: s.format, enum: s.enum, description: s.description, ...patch });
    case "opaque":
      return compact({ ...s.openapi, description: s.description, ...patch });
    default:
      return structuralOpenApi(s, toOpenApi) as OpenApiSchema;
  }
}

function refsOf(s: Schema, out: string[]): void {
  switch (s.kind) {
    case "ref":
      out.push(s.name);
      return;
    case "map":
      refsOf(s.value, out);
      return;
    case "array":
      refsOf(s.items, out);
      return;
    case "object":
      for (const v of Object.values(s.properties)) refsOf(v, out);
      return;
    default:
      return;
  }
}

/** The names of the definitions reachable from the roots (roots included), sorted. */
export function reachable(defs: Definitions, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop() as string;
    if (seen.has(name) || !Object.hasOwn(defs, name)) continue;
    seen.add(name);
    refsOf(defs[name], todo);
  }
  return [...seen].sort();
}

/** components.schemas for the given roots and everything they refer to. */
export function componentSchemas(defs: Definitions, roots: readonly string[]): Record<string, OpenApiSchema> {
  return Object.fromEntries(reachable(defs, roots).map((name) => [name, toOpenApi(defs[name])]));
}

/** Every reference in the definitions that names no definition (should be none). */
export function danglingRefs(defs: Definitions): string[] {
  const out: string[] = [];
  for (const [name, s] of Object.entries(defs)) {
    const refs: string[] = [];
    refsOf(s, refs);
    for (const r of refs) if (!Object.hasOwn(defs, r)) out.push(`${name} → ${r}`);
  }
  return out;
}
