// Which fields an object (or an applied configuration) sets, as a FieldSet, and how to read
// or remove the value at one such path. List semantics come from the merge-key table: lists
// with a merge key are maps keyed by it, merge lists of primitives are sets, others atomic.
import { fieldPatchMeta, type PatchSchema } from "../patch/merge-keys.ts";
import { type FieldPath, FieldSet, fieldKey } from "./field-set.ts";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fields the server owns: never part of anyone's managed set (upstream's reset and ignored fields). */
const IGNORED_TOP = new Set(["apiVersion", "kind"]);
const IGNORED_META = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

/** Key fields the server defaults, so a configuration that leaves them out names the same item. */
const DEFAULT_KEY_VALUES: Record<string, unknown> = { protocol: "TCP" };

function keyValue(item: Json, key: string): unknown {
  return item[key] ?? DEFAULT_KEY_VALUES[key];
}

function keyElement(item: Json, keys: readonly string[]): string {
  return `k:${JSON.stringify(Object.fromEntries(keys.map((k) => [k, keyValue(item, k)])))}`;
}

/** Each field path under `value` → the value there (a list item for a `.` path; the first of duplicates). */
function walk(value: Json, schema: PatchSchema | undefined, prefix: string[], out: Map<string, unknown>): void {
  const add = (path: string[], v: unknown) => {
    const key = fieldKey(path);
    if (!out.has(key)) out.set(key, v);
  };
  for (const [field, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const at = [...prefix, `f:${field}`];
    const meta = fieldPatchMeta(schema, field);
    if (Array.isArray(v)) {
      const keys = meta.listMapKeys ?? (meta.mergeKey ? [meta.mergeKey] : undefined);
      if (keys && v.every(isObject)) {
        for (const item of v) {
          const itemPath = [...at, keyElement(item, keys)];
          add([...itemPath, "."], item);
          walk(item, meta.fields, itemPath, out);
        }
      } else if (meta.strategy === "merge" && v.every((x) => !isObject(x) && !Array.isArray(x))) {
        for (const x of v) add([...at, `v:${JSON.stringify(x)}`], x);
      } else add(at, v);
    } else if (isObject(v) && Object.keys(v).length > 0) walk(v, meta.fields, at, out);
    else add(at, v);
  }
}

/**
 * The fields an object sets, each with its value (as `locate` finds it), in one walk. `part` picks the main
 * resource (no status) or the status subresource.
 */
export function fieldValuesOf(obj: Json, schema: PatchSchema, part: "main" | "status" = "main"): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const top: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (IGNORED_TOP.has(k) || (part === "main" ? k === "status" : k !== "status")) continue;
    if (k === "metadata" && isObject(v)) {
      const meta = Object.fromEntries(Object.entries(v).filter(([mk]) => !IGNORED_META.has(mk)));
      if (Object.keys(meta).length > 0) top[k] = meta;
    } else top[k] = v;
  }
  walk(top, schema, [], out);
  return out;
}

/** The fields an object sets. `part` picks the main resource (no status) or the status subresource. */
export function fieldSetOf(obj: Json, schema: PatchSchema, part: "main" | "status" = "main"): FieldSet {
  return FieldSet.ofKeys(fieldValuesOf(obj, schema, part).keys());
}

interface Located {
  parent: Json | unknown[];
  key: string | number;
  value: unknown;
}

/** Finds the value at a path (a leaf, a list item for `.`, or a set member); undefined when absent. */
export function locate(obj: Json, path: FieldPath, schema: PatchSchema): Located | undefined {
  let parent: Json | unknown[] = obj;
  let key: string | number = "";
  let current: unknown = obj;
  let meta: PatchSchema | undefined = schema;
  let listMeta: ReturnType<typeof fieldPatchMeta> = {};
  for (const el of path) {
    if (el === ".") break;
    if (el.startsWith("f:")) {
      if (!isObject(current)) return undefined;
      const field = el.slice(2);
      listMeta = fieldPatchMeta(meta, field);
      parent = current;
      key = field;
      current = current[field];
      meta = listMeta.fields;
    } else if (el.startsWith("k:")) {
      if (!Array.isArray(current)) return undefined;
      const keys = JSON.parse(el.slice(2)) as Json;
      const index = current.findIndex(
        (item) => isObject(item) && Object.entries(keys).every(([k, v]) => keyValue(item, k) === v),
      );
      if (index < 0) return undefined;
      parent = current;
      key = index;
      current = current[index];
      meta = listMeta.fields;
    } else if (el.startsWith("v:")) {
      if (!Array.isArray(current)) return undefined;
      const wanted = el.slice(2);
      const index = current.findIndex((x) => JSON.stringify(x) === wanted);
      if (index < 0) return undefined;
      parent = current;
      key = index;
      current = current[index];
    } else return undefined;
  }
  return current === undefined ? undefined : { parent, key, value: current };
}

/** Removes the value at a path; maps and lists it leaves empty are removed from their parents too. */
export function removeAt(obj: Json, path: FieldPath, schema: PatchSchema): void {
  const found = locate(obj, path, schema);
  if (!found) return;
  if (Array.isArray(found.parent)) found.parent.splice(found.key as number, 1);
  else delete found.parent[found.key as string];
  const trimmed = path.at(-1) === "." ? path.slice(0, -1) : path;
  for (let n = trimmed.length - 1; n > 0; n--) {
    const up = locate(obj, trimmed.slice(0, n), schema);
    const empty = isObject(up?.value)
      ? Object.keys(up.value).length === 0
      : Array.isArray(up?.value) && up.value.length === 0;
    if (!up || !empty || Array.isArray(up.parent)) break;
    delete up.parent[up.key as string];
  }
}
