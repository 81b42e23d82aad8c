// Decodes Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`) into the JSON objects the API
// would have received as JSON: the `k8s\0` prefix, a runtime.Unknown envelope naming apiVersion and kind, and
// the object's own message, read field by field from the descriptor tables in messages.ts.
import { MESSAGES, messageFor } from "./messages.ts";
import type { FieldDescriptor, FieldType, MessageTable } from "./schema.ts";
import { SPECIAL_MESSAGES } from "./special.ts";
import { ProtobufError, toInt32, toInt64, utf8, WireReader, WireType } from "./wire.ts";

export { ProtobufError } from "./wire.ts";

/** The 4-byte prefix of every Kubernetes protobuf body ("k8s" and a zero byte). */
export const KUBERNETES_PROTOBUF_MAGIC = new Uint8Array([0x6b, 0x38, 0x73, 0x00]);

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  /** The object as JSON would carry it, apiVersion and kind included. */
  object: Record<string, unknown>;
}

/** Deeper nesting than any Kubernetes type has: refuses hostile input before it exhausts the stack. */
const MAX_DEPTH = 64;

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** runtime.Unknown: 1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType. */
function readEnvelope(bytes: Uint8Array): Envelope {
  const env: Envelope = { apiVersion: "", kind: "", raw: new Uint8Array(0), contentEncoding: "", contentType: "" };
  const r = new WireReader(bytes, KUBERNETES_PROTOBUF_MAGIC.length);
  while (!r.done) {
    const { field, wire } = r.readTag();
    if (wire !== WireType.LengthDelimited || field > 4) {
      r.skip(wire);
      continue;
    }
    if (field === 1) Object.assign(env, readTypeMeta(r.readBytes()));
    else if (field === 2) env.raw = r.readBytes();
    else if (field === 3) env.contentEncoding = r.readString();
    else env.contentType = r.readString();
  }
  return env;
}

function readTypeMeta(bytes: Uint8Array): { apiVersion: string; kind: string } {
  const out = { apiVersion: "", kind: "" };
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.readTag();
    if (wire === WireType.LengthDelimited && field === 1) out.apiVersion = r.readString();
    else if (wire === WireType.LengthDelimited && field === 2) out.kind = r.readString();
    else r.skip(wire);
  }
  return out;
}

function hasMagic(bytes: Uint8Array): boolean {
  return KUBERNETES_PROTOBUF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Decodes a whole request body; throws ProtobufError with a readable message on anything malformed. */
export function decodeKubernetesProtobuf(bytes: Uint8Array, table: MessageTable = MESSAGES): DecodedObject {
  if (bytes.length < KUBERNETES_PROTOBUF_MAGIC.length || !hasMagic(bytes))
    throw new ProtobufError('the body does not start with the Kubernetes protobuf prefix "k8s\\x00"');
  const env = readEnvelope(bytes);
  if (env.contentEncoding !== "") throw new ProtobufError(`unsupported contentEncoding "${env.contentEncoding}"`);
  if (env.contentType !== "" && env.contentType !== "application/vnd.kubernetes.protobuf")
    throw new ProtobufError(`unsupported contentType "${env.contentType}" inside the protobuf envelope`);
  if (!env.apiVersion || !env.kind) throw new ProtobufError("the protobuf envelope names no apiVersion and kind");
  const message = messageFor(env.apiVersion, env.kind);
  if (!message) throw new ProtobufError(`no protobuf schema for ${env.kind} in ${env.apiVersion}`);
  const fields = decodeMessage(env.raw, message, table);
  const object = { apiVersion: env.apiVersion, kind: env.kind, ...fields };
  return { apiVersion: env.apiVersion, kind: env.kind, object };
}

/** Decodes one message of the named type into its JSON object form. */
export function decodeMessage(
  bytes: Uint8Array,
  name: string,
  table: MessageTable = MESSAGES,
  depth = 0,
): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ProtobufError(`messages nested deeper than ${MAX_DEPTH} levels`);
  const descriptor = table[name];
  if (!descriptor) throw new ProtobufError(`no protobuf schema for message ${name}`);
  const out: Record<string, unknown> = {};
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.readTag();
    const d = descriptor[field];
    if (!d) r.skip(wire);
    else readField(r, wire, d, out, { name, table, depth });
  }
  for (const d of Object.values(descriptor))
    if (d.always && !(d.name in out)) out[d.name] = zeroOf(d.type, { name, table, depth });
  return out;
}

interface Context {
  /** The message being decoded, for error messages. */
  name: string;
  table: MessageTable;
  depth: number;
}

const VARINT_TYPES: ReadonlySet<FieldType> = new Set(["int32", "int64", "bool"]);

function readField(r: WireReader, wire: number, d: FieldDescriptor, out: Record<string, unknown>, ctx: Context): void {
  const varint = VARINT_TYPES.has(d.type);
  if (varint && d.repeated && wire === WireType.LengthDelimited) {
    // Packed repeated scalars: one length-delimited run of varints.
    const packed = new WireReader(r.readBytes());
    while (!packed.done) pushValue(out, d.name, scalarValue(packed.readVarint(), d.type));
    return;
  }
  const expected = varint ? WireType.Varint : WireType.LengthDelimited;
  if (wire !== expected)
    throw new ProtobufError(`${ctx.name}.${d.name}: wire type ${wire}, expected ${expected} for ${d.type}`);
  if (d.type.startsWith("map:")) {
    readMapEntry(r.readBytes(), d, out, ctx);
    return;
  }
  const value = varint ? scalarValue(r.readVarint(), d.type) : lengthValue(r.readBytes(), d.type, ctx);
  if (d.repeated) pushValue(out, d.name, value);
  else if (d.inline) Object.assign(out, value);
  else setValue(out, d, value);
}

function scalarValue(v: bigint, type: FieldType): number | boolean {
  if (type === "bool") return v !== 0n;
  return type === "int32" ? toInt32(v) : toInt64(v);
}

function lengthValue(bytes: Uint8Array, type: FieldType, ctx: Context): unknown {
  if (type === "string") return utf8(bytes);
  if (type === "bytes") return base64(bytes);
  if (!type.startsWith("message:")) throw new ProtobufError(`${ctx.name}: field type ${type} is not length-delimited`);
  const name = type.slice("message:".length);
  const special = SPECIAL_MESSAGES[name];
  if (special) return special(bytes);
  return decodeMessage(bytes, name, ctx.table, ctx.depth + 1);
}

/** A map field arrives as repeated entry messages {1: key, 2: value}. */
function readMapEntry(bytes: Uint8Array, d: FieldDescriptor, out: Record<string, unknown>, ctx: Context): void {
  const valueType = d.type.slice("map:".length) as FieldType;
  let key = "";
  let value: unknown;
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.readTag();
    if (field === 1 && wire === WireType.LengthDelimited) key = r.readString();
    else if (field === 2 && wire === WireType.LengthDelimited) value = lengthValue(r.readBytes(), valueType, ctx);
    else if (field === 2 && wire === WireType.Varint && VARINT_TYPES.has(valueType))
      value = scalarValue(r.readVarint(), valueType);
    else r.skip(wire);
  }
  if (!out[d.name]) out[d.name] = {};
  (out[d.name] as Record<string, unknown>)[key] = value ?? zeroOf(valueType, ctx);
}

function zeroOf(type: FieldType, ctx: Context): unknown {
  if (type === "string" || type === "bytes") return "";
  if (type === "bool") return false;
  if (type === "int32" || type === "int64") return 0;
  return lengthValue(new Uint8Array(0), type, ctx);
}

function pushValue(out: Record<string, unknown>, name: string, value: unknown): void {
  const list = out[name];
  if (Array.isArray(list)) list.push(value);
  else out[name] = [value];
}

/**
 * Last occurrence wins (protobuf semantics); zero scalars are left out as Go's JSON leaves them (omitempty),
 * except in pointer fields and fields written always.
 */
function setValue(out: Record<string, unknown>, d: FieldDescriptor, value: unknown): void {
  const zero = value === undefined || value === "" || value === 0 || value === false;
  const scalar = !d.type.startsWith("message:");
  if (value === undefined || (zero && scalar && !d.pointer && !d.always)) delete out[d.name];
  else out[d.name] = value;
}

/** Standard base64, as Go's encoding/json writes []byte. */
function base64(bytes: Uint8Array): string {
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
