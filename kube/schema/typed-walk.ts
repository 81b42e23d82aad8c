// One walk of a decoded body against its kind's schema, doing what upstream's typed JSON decoder
// (sigs.k8s.io/json into the Go structs) does in one pass: the first value of the wrong JSON type
// is a decode error worded as Go's (`json: cannot unmarshal array into Go struct field
// ObjectMeta.metadata.name of type string`), fields the schema does not know are collected with
// their paths (`spec.containers[0].imagee`), and nulls become what Go would hold after decoding
// (an absent field, or the zero value inside lists and maps), so nothing downstream meets a type
// the schema does not allow.
import { type Definitions, INT_OR_STRING, MICRO_TIME, QUANTITY, resolve, type Schema, TIME } from "./dsl.ts";

export interface TypedWalkResult {
  /** Go's text for the first value of the wrong type, in document order. */
  typeError?: string;
  /** Paths of fields the schema does not define. */
  unknown: string[];
}

export interface TypedWalkOptions {
  /** Delete unknown fields in place (decoding into a typed object drops them). */
  prune?: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** What Go's decoder calls a JSON value in its errors; numbers carry their text when the kind fits but the value does not. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "object";
  }
}

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [-(2 ** 63), 2 ** 63],
};

/** `io.k8s.api.core.v1.PodSpec` → `v1.PodSpec`, as Go's reflect names a type (package name, type name). */
function goNamed(name: string): string {
  const parts = name.split(".");
  return parts.length < 2 ? name : `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

const structName = (name: string) => name.split(".").at(-1) ?? name;

/** The Go type a schema node decodes into, as upstream's error messages print it. */
function goType(defs: Definitions, schema: Schema, depth = 0): string {
  if (depth > 16) return "interface {}";
  switch (schema.kind) {
    case "ref": {
      const target = Object.hasOwn(defs, schema.name) ? defs[schema.name] : undefined;
      if (target?.kind === "scalar" && schema.name !== TIME && schema.name !== MICRO_TIME)
        return goType(defs, target, depth + 1);
      return goNamed(schema.name);
    }
    case "scalar":
      if (schema.type === "string") return schema.format === "byte" ? "[]uint8" : "string";
      if (schema.type === "integer") return schema.format === "int64" ? "int64" : "int32";
      return schema.type === "boolean" ? "bool" : "float64";
    case "map":
      return `map[string]${goType(defs, schema.value, depth + 1)}`;
    case "array":
      return `[]${goType(defs, schema.items, depth + 1)}`;
    case "opaque":
      return "interface {}";
    case "object":
      return schema.preserveUnknown ? "map[string]interface {}" : "struct";
  }
}

/** The value Go holds for a JSON null inside a list or map of this schema. */
function zeroValue(defs: Definitions, schema: Schema): unknown {
  const s = resolve(defs, schema);
  if (!s) return null;
  switch (s.kind) {
    case "scalar":
      if (s.type === "string") return "";
      return s.type === "boolean" ? false : 0;
    case "object":
      return {};
    case "opaque":
      return s === defs[QUANTITY] ? "0" : 0;
    default:
      return null; // a nil slice or map inside a list stays null in Go's JSON too
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

interface Walk {
  defs: Definitions;
  prune: boolean;
  unknown: string[];
  typeError?: string;
  /** Nesting of the walk; bodies are bounded in size, but a deep one must not exhaust the stack. */
  depth: number;
}

/** Where a value sits, for both message styles: Go's struct name and field stack, and the unknown-field path. */
interface Place {
  struct: string;
  fields: string;
  path: string;
}

const MAX_DEPTH = 200;

function typeMismatch(w: Walk, at: Place, value: unknown, type: string): void {
  if (w.typeError !== undefined) return;
  const what = jsonKind(value);
  w.typeError = at.fields
    ? `json: cannot unmarshal ${what} into Go struct field ${at.struct}.${at.fields} of type ${type}`
    : `json: cannot unmarshal ${what} into Go value of type ${type}`;
}

function fail(w: Walk, message: string): void {
  w.typeError ??= message;
}

function checkInteger(w: Walk, at: Place, value: unknown, format: string): void {
  if (typeof value !== "number") {
    typeMismatch(w, at, value, format);
    return;
  }
  const [min, max] = INT_RANGE[format] ?? INT_RANGE.int64;
  if (!Number.isInteger(value) || value < min || value > max) {
    if (w.typeError !== undefined) return;
    const field = at.fields ? `Go struct field ${at.struct}.${at.fields}` : "Go value";
    w.typeError = `json: cannot unmarshal number ${value} into ${field} of type ${format}`;
  }
}

function checkNamedScalar(w: Walk, name: string, value: unknown, at: Place): boolean {
  switch (name) {
    case QUANTITY:
      if (typeof value !== "string" && typeof value !== "number") fail(w, QUANTITY_FORMAT);
      return true;
    case INT_OR_STRING:
      if (typeof value !== "string") checkInteger(w, at, value, "int32");
      return true;
    case TIME:
    case MICRO_TIME:
      if (typeof value !== "string") typeMismatch(w, at, value, "string");
      else if (value !== "" && !RFC3339.test(value))
        fail(w, `parsing time "${value}" as "2006-01-02T15:04:05Z07:00": cannot parse "${value}" as "2006"`);
      return true;
    default:
      return false;
  }
}

function walk(w: Walk, schema: Schema, value: unknown, at: Place): void {
  if (value === null || value === undefined) return;
  if (schema.kind === "ref" && checkNamedScalar(w, schema.name, value, at)) return;
  const named = schema.kind === "ref" ? schema.name : undefined;
  const s = resolve(w.defs, schema);
  if (!s) return;
  if (w.depth > MAX_DEPTH) {
    fail(w, "json: exceeded max depth");
    return;
  }
  w.depth++;
  try {
    walkResolved(w, s, named, schema, value, at);
  } finally {
    w.depth--;
  }
}

function walkResolved(w: Walk, s: Schema, named: string | undefined, original: Schema, value: unknown, at: Place) {
  switch (s.kind) {
    case "scalar":
      if (s.type === "string") {
        if (typeof value !== "string") typeMismatch(w, at, value, goType(w.defs, original));
      } else if (s.type === "integer") checkInteger(w, at, value, s.format === "int64" ? "int64" : "int32");
      else if (s.type === "boolean") {
        if (typeof value !== "boolean") typeMismatch(w, at, value, "bool");
      } else if (typeof value !== "number") typeMismatch(w, at, value, "float64");
      return;
    case "object": {
      if (s.preserveUnknown) return;
      if (!isPlainObject(value)) return typeMismatch(w, at, value, goType(w.defs, original));
      const struct = named ? structName(named) : at.struct;
      for (const key of Object.keys(value)) {
        const field = Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
        const path = at.path ? `${at.path}.${key}` : key;
        if (!field) {
          w.unknown.push(path);
          if (w.prune) delete value[key];
          continue;
        }
        if (value[key] === null) {
          delete value[key];
          continue;
        }
        walk(w, field, value[key], { struct, fields: at.fields ? `${at.fields}.${key}` : key, path });
      }
      return;
    }
    case "map": {
      if (!isPlainObject(value)) return typeMismatch(w, at, value, goType(w.defs, original));
      for (const key of Object.keys(value)) {
        if (value[key] === null) value[key] = zeroValue(w.defs, s.value);
        walk(w, s.value, value[key], { ...at, path: at.path ? `${at.path}.${key}` : key });
      }
      return;
    }
    case "array": {
      if (!Array.isArray(value)) return typeMismatch(w, at, value, goType(w.defs, original));
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null) value[i] = zeroValue(w.defs, s.items);
        walk(w, s.items, value[i], { ...at, path: `${at.path}[${i}]` });
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Checks `value` against the named definition (a top-level kind) as typed decoding would, in place:
 * nulls are normalised and, with `prune`, unknown fields removed. Only the first type error is
 * reported, as Go's decoder reports only its first.
 */
export function typedWalk(
  defs: Definitions,
  schema: Schema,
  value: unknown,
  opts: TypedWalkOptions = {},
): TypedWalkResult {
  const w: Walk = { defs, prune: !!opts.prune, unknown: [], depth: 0 };
  const struct = schema.kind === "ref" ? structName(schema.name) : "";
  walk(w, schema, value, { struct, fields: "", path: "" });
  return { typeError: w.typeError, unknown: w.unknown };
}
