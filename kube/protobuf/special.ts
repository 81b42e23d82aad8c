// Messages whose JSON form is not an object: Go gives them custom JSON marshalers, so their protobuf fields
// are read here and turned into the value the JSON API would show.
import { ProtobufError, toInt32, toInt64, utf8, WireReader, WireType } from "./wire.ts";

export type SpecialDecoder = (bytes: Uint8Array) => unknown;

/** Reads a small message's scalar fields by number; anything else is skipped. */
function scalarFields(bytes: Uint8Array): Map<number, bigint | Uint8Array> {
  const out = new Map<number, bigint | Uint8Array>();
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.readTag();
    if (wire === WireType.Varint) out.set(field, r.readVarint());
    else if (wire === WireType.LengthDelimited) out.set(field, r.readBytes());
    else r.skip(wire);
  }
  return out;
}

function int(v: bigint | Uint8Array | undefined, what: string): bigint {
  if (v === undefined) return 0n;
  if (typeof v !== "bigint") throw new ProtobufError(`${what}: expected a varint`);
  return v;
}

function text(v: bigint | Uint8Array | undefined, what: string): string {
  if (v === undefined) return "";
  if (typeof v === "bigint") throw new ProtobufError(`${what}: expected a string`);
  return utf8(v);
}

function utcDate(bytes: Uint8Array, what: string): { date: Date; nanos: number } | undefined {
  // metav1.Time marshals the zero time as an empty message (JSON null): such fields are left out.
  if (bytes.length === 0) return undefined;
  const f = scalarFields(bytes);
  const seconds = toInt64(int(f.get(1), what));
  const nanos = toInt32(int(f.get(2), what));
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime()) || nanos < 0 || nanos > 999_999_999)
    throw new ProtobufError(`${what}: time out of range (seconds ${seconds}, nanos ${nanos})`);
  return { date, nanos };
}

/** metav1.Time: RFC 3339 in UTC, whole seconds (`2026-01-01T00:00:00Z`). */
function time(bytes: Uint8Array): string | undefined {
  const t = utcDate(bytes, "Time");
  return t?.date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
function microTime(bytes: Uint8Array): string | undefined {
  const t = utcDate(bytes, "MicroTime");
  const micros = String(Math.floor(t ? t.nanos / 1000 : 0)).padStart(6, "0");
  return t?.date.toISOString().replace(/\.\d{3}Z$/, `.${micros}Z`);
}

/** intstr.IntOrString: type 0 is intVal (a JSON number), type 1 strVal (a JSON string). */
function intOrString(bytes: Uint8Array): number | string {
  const f = scalarFields(bytes);
  const type = toInt64(int(f.get(1), "IntOrString.type"));
  if (type === 0) return toInt32(int(f.get(2), "IntOrString.intVal"));
  if (type === 1) return text(f.get(3), "IntOrString.strVal");
  throw new ProtobufError(`IntOrString: unknown type ${type}`);
}

/** resource.Quantity: its string form (the zero Quantity is "0", as in JSON). */
function quantity(bytes: Uint8Array): string {
  return text(scalarFields(bytes).get(1), "Quantity.string") || "0";
}

/** metav1.FieldsV1: raw JSON of a managed-fields set. */
function fieldsV1(bytes: Uint8Array): unknown {
  const raw = text(scalarFields(bytes).get(1), "FieldsV1.Raw");
  try {
    return JSON.parse(raw || "{}");
  } catch {
    throw new ProtobufError("FieldsV1: Raw is not valid JSON");
  }
}

/**
 * runtime.RawExtension (ControllerRevision.data): its Raw bytes are the embedded object's JSON, which its JSON
 * form shows as is; an empty one is JSON null, left out here.
 */
function rawExtension(bytes: Uint8Array): unknown {
  const raw = text(scalarFields(bytes).get(1), "RawExtension.Raw");
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ProtobufError("RawExtension: Raw is not valid JSON");
  }
}

/** authentication/authorization ExtraValue: a []string in Go and JSON, a message of repeated items (1) on the wire. */
function extraValue(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.readTag();
    if (field === 1 && wire === WireType.LengthDelimited) out.push(utf8(r.readBytes()));
    else r.skip(wire);
  }
  return out;
}

export const SPECIAL_MESSAGES: Readonly<Record<string, SpecialDecoder>> = {
  Time: time,
  MicroTime: microTime,
  IntOrString: intOrString,
  Quantity: quantity,
  FieldsV1: fieldsV1,
  RawExtension: rawExtension,
  ExtraValue: extraValue,
};
