// Message descriptors as data: which field number carries which JSON field, of which type. The tables are
// written in a compact text form (one field per line, as in generated.proto) and parsed once at load.

export type ScalarType = "string" | "int32" | "int64" | "bool" | "bytes";
/** A scalar, a message by name (`message:ObjectMeta`) or a string-keyed map with its value type (`map:string`). */
export type FieldType = ScalarType | `message:${string}` | `map:${string}`;

export interface FieldDescriptor {
  /** The JSON field name (go-to-protobuf names proto fields after their JSON tags). */
  name: string;
  type: FieldType;
  repeated?: boolean;
  /**
   * A Go pointer field (`*int32`, `*bool`): gogo writes it only when set, so a zero on the wire is a real
   * value (`replicas: 0`). Other scalars are always written and, like Go's omitempty, dropped when zero.
   */
  pointer?: boolean;
  /**
   * A value scalar without `omitempty` (`value int32 json:"value"`): Go's JSON always writes it, so its zero is
   * kept, and filled in when the wire leaves it out.
   */
  always?: boolean;
  /** A Go embedded struct (`json:",inline"`): its fields merge into the parent object. */
  inline?: boolean;
}

export type MessageDescriptor = Record<number, FieldDescriptor>;
export type MessageTable = Record<string, MessageDescriptor>;

const SCALARS: ReadonlySet<string> = new Set(["string", "int32", "int64", "bool", "bytes"]);

/** `Quantity` → `message:Quantity`, `int32` stays, `map<Quantity>` → `map:message:Quantity`. */
function fieldType(spec: string): FieldType {
  const map = /^map<(\w+)>$/.exec(spec);
  if (map) return `map:${fieldType(map[1])}`;
  if (SCALARS.has(spec)) return spec as ScalarType;
  if (/^[A-Z]\w*$/.test(spec)) return `message:${spec}`;
  throw new Error(`protobuf schema: bad type "${spec}"`);
}

/**
 * One field line: `<number> <jsonName> <type>[modifiers]`, modifiers `[]` repeated, `?` pointer, `!` always
 * written (no omitempty), `...` inline.
 * Example: `1 replicas int32?`, `2 containers Container[]`, `1 handler ProbeHandler...`.
 */
function parseField(line: string): [number, FieldDescriptor] {
  const m = /^(\d+) (\w+) ([\w<>]+)(\[\])?(\?)?(!)?(\.\.\.)?$/.exec(line);
  if (!m) throw new Error(`protobuf schema: bad field line "${line}"`);
  const field: FieldDescriptor = { name: m[2], type: fieldType(m[3]) };
  if (m[4]) field.repeated = true;
  if (m[5]) field.pointer = true;
  if (m[6]) field.always = true;
  if (m[7]) field.inline = true;
  return [Number(m[1]), field];
}

/** Parses blocks of a message name on its own line followed by indented field lines. */
export function parseMessages(text: string): MessageTable {
  const out: MessageTable = {};
  let current: MessageDescriptor | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (raw.startsWith(" ")) {
      if (!current) throw new Error(`protobuf schema: field outside a message: "${line}"`);
      const [number, field] = parseField(line);
      if (current[number]) throw new Error(`protobuf schema: field ${number} defined twice ("${line}")`);
      current[number] = field;
    } else {
      if (!/^[A-Z]\w*$/.test(line) || out[line]) throw new Error(`protobuf schema: bad message name "${line}"`);
      current = out[line] = {};
    }
  }
  return out;
}

/** Merges tables, refusing a message defined twice. */
export function mergeTables(...tables: MessageTable[]): MessageTable {
  const out: MessageTable = {};
  for (const t of tables)
    for (const [name, d] of Object.entries(t)) {
      if (out[name]) throw new Error(`protobuf schema: message ${name} defined twice`);
      out[name] = d;
    }
  return out;
}
