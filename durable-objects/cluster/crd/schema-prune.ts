// Pruning and defaulting of a custom resource by its structural schema, as upstream's
// apiextensions does on decode: fields the schema does not specify go (unless
// x-kubernetes-preserve-unknown-fields keeps them), then `default`s fill what is missing.
import type { JSONSchemaProps } from "../../../kube/schema/json-schema.ts";

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** What an embedded resource (and the root) always keeps besides its schema's properties. */
const TYPE_META = ["apiVersion", "kind", "metadata"];

/**
 * The paths of fields `obj` holds that `schema` does not specify (e.g. `spec.colour`), as upstream's
 * unknown-field warnings name them; removed from `obj` when `prune` is set.
 */
export function unknownFields(schema: JSONSchemaProps, obj: unknown, prune: boolean): string[] {
  const out: string[] = [];
  walk(schema, obj, "", prune, out, true);
  return out;
}

function walk(
  schema: JSONSchemaProps,
  v: unknown,
  path: string,
  prune: boolean,
  out: string[],
  embedded: boolean,
): void {
  if (Array.isArray(v)) {
    if (schema.items) for (const [i, item] of v.entries()) walk(schema.items, item, `${path}[${i}]`, prune, out, false);
    return;
  }
  if (!isObject(v)) return;
  const keepsUnknown = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  const anyKey = schema.additionalProperties === true || extra !== undefined;
  const isEmbedded = embedded || schema["x-kubernetes-embedded-resource"] === true;
  for (const key of Object.keys(v)) {
    const sub = schema.properties?.[key] ?? extra;
    // The root's and an embedded object's metadata is ObjectMeta, validated as every object's is, even where
    // the schema lists it (every generated CRD has `metadata: {type: object}`, which would prune its name).
    if (isEmbedded && TYPE_META.includes(key)) continue;
    if (sub) walk(sub, v[key], child(path, key), prune, out, false);
    else if (!keepsUnknown && !anyKey) {
      out.push(child(path, key));
      if (prune) delete v[key];
    }
  }
}

/** Fills `default`s into `obj` where its fields are missing, top-down, as upstream's structural defaulting does. */
export function applyDefaults(schema: JSONSchemaProps, obj: unknown): void {
  if (Array.isArray(obj)) {
    if (schema.items) for (const item of obj) applyDefaults(schema.items, item);
    return;
  }
  if (!isObject(obj)) return;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (obj[key] === undefined && sub.default !== undefined) obj[key] = structuredClone(sub.default);
    // A null where the schema does not allow one and a default exists is defaulted too.
    else if (obj[key] === null && !sub.nullable && sub.default !== undefined) obj[key] = structuredClone(sub.default);
    if (obj[key] !== undefined) applyDefaults(sub, obj[key]);
  }
  const extra = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  if (extra) for (const [key, value] of Object.entries(obj)) if (!schema.properties?.[key]) applyDefaults(extra, value);
}
