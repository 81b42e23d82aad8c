// A Swagger 2.0 document (plain JSON) as gnostic's openapi_v2.Document protobuf message — what kube-openapi
// serves for `application/com.github.proto-openapi.spec.v2…+protobuf` (its ToProtoBinary: gnostic's
// ParseDocument, then proto.Marshal). Only what the documents we serve use is encoded: info, definitions
// and the JSON-schema keywords of Schema; values gnostic keeps as YAML (enum, default, example, x-*
// extensions) are written as their JSON text, which is YAML too.
type Json = Record<string, unknown>;

const encoder = new TextEncoder();

const varintSize = (n: number) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/**
 * Writes into one growing buffer. A length-delimited field reserves one byte for its length, writes its
 * body, then moves the body up if the length needs more bytes (rarely, and natively): no per-field
 * allocations, as a document is ~200 KB of small fields.
 */
class Writer {
  #buf = new Uint8Array(1 << 16);
  #pos = 0;

  #ensure(extra: number): void {
    if (this.#pos + extra <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + extra));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  varint(n: number): void {
    this.#ensure(10);
    let v = n;
    while (v > 0x7f) {
      this.#buf[this.#pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.#buf[this.#pos++] = v;
  }

  /** A length-delimited field whose body `write` puts at the end of the buffer. */
  #delimited(field: number, write: () => void): void {
    this.varint((field << 3) | 2);
    this.#ensure(1);
    const lengthAt = this.#pos++;
    write();
    const length = this.#pos - lengthAt - 1;
    const size = varintSize(length);
    if (size > 1) {
      this.#ensure(size - 1);
      this.#buf.copyWithin(lengthAt + size, lengthAt + 1, this.#pos);
      this.#pos += size - 1;
    }
    const end = this.#pos;
    this.#pos = lengthAt;
    this.varint(length);
    this.#pos = end;
  }

  string(field: number, s: string | undefined): void {
    if (s === undefined || s === "") return;
    this.#delimited(field, () => {
      this.#ensure(s.length * 3);
      this.#pos += encoder.encodeInto(s, this.#buf.subarray(this.#pos)).written;
    });
  }

  message(field: number, build: (w: Writer) => void): void {
    this.#delimited(field, () => build(this));
  }

  bool(field: number, v: unknown): void {
    if (v !== true) return;
    this.varint(field << 3);
    this.varint(1);
  }

  int(field: number, v: unknown): void {
    if (typeof v !== "number" || v === 0) return;
    this.varint(field << 3);
    this.varint(v);
  }

  double(field: number, v: unknown): void {
    if (typeof v !== "number" || v === 0) return;
    this.varint((field << 3) | 1);
    this.#ensure(8);
    new DataView(this.#buf.buffer).setFloat64(this.#pos, v, true);
    this.#pos += 8;
  }

  done(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }
}

/** openapi_v2.Any: the value as YAML text (field 2). */
const anyValue = (w: Writer, field: number, value: unknown) =>
  w.message(field, (a) => a.string(2, JSON.stringify(value)));

function namedAny(w: Writer, field: number, name: string, value: unknown): void {
  w.message(field, (n) => {
    n.string(1, name);
    anyValue(n, 2, value);
  });
}

// Schema's scalar keywords and their field numbers in gnostic's OpenAPIv2.proto.
const STRINGS: [string, number][] = [
  ["$ref", 1],
  ["format", 2],
  ["title", 3],
  ["description", 4],
  ["pattern", 13],
  ["discriminator", 26],
];
const DOUBLES: [string, number][] = [
  ["multipleOf", 6],
  ["maximum", 7],
  ["minimum", 9],
];
const INTS: [string, number][] = [
  ["maxLength", 11],
  ["minLength", 12],
  ["maxItems", 14],
  ["minItems", 15],
  ["maxProperties", 17],
  ["minProperties", 18],
];
const BOOLS: [string, number][] = [
  ["exclusiveMaximum", 8],
  ["exclusiveMinimum", 10],
  ["uniqueItems", 16],
  ["readOnly", 27],
];

function namedSchemas(w: Writer, field: number, entries: Json): void {
  for (const [name, schema] of Object.entries(entries))
    w.message(field, (n) => {
      n.string(1, name);
      n.message(2, (s) => writeSchema(s, schema as Json));
    });
}

function writeSchema(w: Writer, s: Json): void {
  for (const [key, field] of STRINGS) w.string(field, s[key] as string | undefined);
  if (s.default !== undefined) anyValue(w, 5, s.default);
  for (const [key, field] of DOUBLES) w.double(field, s[key]);
  for (const [key, field] of BOOLS) w.bool(field, s[key]);
  for (const [key, field] of INTS) w.int(field, s[key]);
  for (const r of (s.required as string[] | undefined) ?? []) w.string(19, r);
  for (const e of (s.enum as unknown[] | undefined) ?? []) anyValue(w, 20, e);
  const additional = s.additionalProperties;
  if (typeof additional === "boolean") w.message(21, (a) => a.bool(2, additional));
  else if (additional) w.message(21, (a) => a.message(1, (x) => writeSchema(x, additional as Json)));
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    w.message(22, (t) => {
      for (const v of types) t.string(1, v);
    });
  }
  if (s.items) {
    const items = Array.isArray(s.items) ? (s.items as Json[]) : [s.items as Json];
    w.message(23, (i) => {
      for (const item of items) i.message(1, (x) => writeSchema(x, item));
    });
  }
  for (const part of (s.allOf as Json[] | undefined) ?? []) w.message(24, (x) => writeSchema(x, part));
  if (s.properties) w.message(25, (p) => namedSchemas(p, 1, s.properties as Json));
  if (s.example !== undefined) anyValue(w, 30, s.example);
  for (const [key, value] of Object.entries(s)) if (key.startsWith("x-")) namedAny(w, 31, key, value);
}

/** The document's protobuf encoding (openapi_v2.Document). */
export function encodeOpenApiV2(doc: Json): Uint8Array {
  const w = new Writer();
  w.string(1, doc.swagger as string);
  const info = doc.info as Json | undefined;
  if (info)
    w.message(2, (i) => {
      i.string(1, info.title as string);
      i.string(2, info.version as string);
    });
  // Paths: present (an empty message), as gnostic always sets it for a document that has the key.
  if (doc.paths) w.message(8, () => {});
  if (doc.definitions) w.message(9, (d) => namedSchemas(d, 1, doc.definitions as Json));
  return w.done();
}
