// Finds (and optionally removes) the fields of a decoded object that its schema does not know,
// reporting them with upstream's paths: `spec.containers[0].imagee` (what the apiserver's
// strict JSON decoder prints). Values of the wrong type are not this module's business.
import { type Definitions, resolve, type Schema } from "./dsl.ts";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

interface Walk {
  defs: Definitions;
  prune: boolean;
  out: string[];
}

function walk(w: Walk, schema: Schema, value: unknown, path: string): void {
  const s = resolve(w.defs, schema);
  if (!s || value === null || value === undefined) return;
  switch (s.kind) {
    case "object": {
      if (s.preserveUnknown || !isPlainObject(value)) return;
      for (const key of Object.keys(value)) {
        const field = Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
        if (field) walk(w, field, value[key], join(path, key));
        else {
          w.out.push(join(path, key));
          if (w.prune) delete value[key];
        }
      }
      return;
    }
    case "map":
      if (isPlainObject(value)) for (const key of Object.keys(value)) walk(w, s.value, value[key], join(path, key));
      return;
    case "array":
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) walk(w, s.items, value[i], `${path}[${i}]`);
      return;
    default:
      return;
  }
}

/**
 * Paths of fields in `value` that `schema` does not define, in document order. With `prune`,
 * those fields are also deleted from `value` in place (what decoding into a typed object does).
 */
export function findUnknownFields(defs: Definitions, schema: Schema, value: unknown, prune = false): string[] {
  const w: Walk = { defs, prune, out: [] };
  walk(w, schema, value, "");
  return w.out;
}
