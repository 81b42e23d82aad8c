// Reads the protobuf descriptors that a kubectl binary carries: gogo-protobuf compiles every generated.proto
// into the binary as a gzipped FileDescriptorProto, so the field numbers, types and gogoproto options
// (nullable: a Go pointer) are upstream's own, for exactly the release that kubectl was built from.
// Node-only (node:fs, node:zlib): used by protobuf-messages.ts and its test, never at runtime.
import { readFileSync } from "node:fs";
import { gunzipSync, constants as zlib } from "node:zlib";
import { utf8, WireReader, WireType } from "../kube/protobuf/wire.ts";

export interface DescriptorField {
  name: string;
  number: number;
  repeated: boolean;
  /** FieldDescriptorProto.Type: 3 int64, 5 int32, 8 bool, 9 string, 11 message, 12 bytes, … */
  type: number;
  /** Fully qualified, with a leading dot (`.k8s.io.api.core.v1.PodSpec`), for message fields. */
  typeName: string;
  /** gogoproto.nullable: absent means true (a Go pointer); go-to-protobuf writes false for values. */
  nullable: boolean;
}

export interface DescriptorMessage {
  /** Fully qualified, with a leading dot. */
  fullName: string;
  name: string;
  /** The proto package (`k8s.io.api.core.v1`). */
  pkg: string;
  fields: DescriptorField[];
  mapEntry: boolean;
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff]);
const GOGO_NULLABLE = 65001;

type Fields = Map<number, (bigint | Uint8Array)[]>;

function readFields(bytes: Uint8Array): Fields {
  const out: Fields = new Map();
  const r = new WireReader(bytes);
  while (!r.done) {
    const { field, wire } = r.readTag();
    let value: bigint | Uint8Array;
    if (wire === WireType.Varint) value = r.readVarint();
    else if (wire === WireType.LengthDelimited) value = r.readBytes();
    else {
      r.skip(wire);
      continue;
    }
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const str = (f: Fields, n: number) => {
  const v = f.get(n)?.[0];
  return v instanceof Uint8Array ? utf8(v) : "";
};
const num = (f: Fields, n: number) => Number(f.get(n)?.[0] ?? 0n);
const messages = (f: Fields, n: number) => (f.get(n) ?? []).filter((v) => v instanceof Uint8Array);

function readField(bytes: Uint8Array): DescriptorField {
  const f = readFields(bytes);
  const options = messages(f, 8)[0];
  const nullable = options ? readFields(options).get(GOGO_NULLABLE)?.[0] : undefined;
  return {
    name: str(f, 1),
    number: num(f, 3),
    repeated: num(f, 4) === 3,
    type: num(f, 5),
    typeName: str(f, 6),
    nullable: nullable === undefined || nullable !== 0n,
  };
}

function readMessage(bytes: Uint8Array, scope: string, pkg: string, out: Map<string, DescriptorMessage>): void {
  const f = readFields(bytes);
  const name = str(f, 1);
  const fullName = `${scope}.${name}`;
  const options = messages(f, 7)[0];
  const mapEntry = options ? readFields(options).get(7)?.[0] === 1n : false;
  out.set(fullName, { fullName, name, pkg, fields: messages(f, 2).map(readField), mapEntry });
  for (const nested of messages(f, 3)) readMessage(nested, fullName, pkg, out);
}

/** Every message of every Kubernetes generated.proto found in the binary, by fully qualified name. */
export function readKubectlDescriptors(binaryPath: string): Map<string, DescriptorMessage> {
  const binary = readFileSync(binaryPath);
  const out = new Map<string, DescriptorMessage>();
  for (let at = binary.indexOf(GZIP_HEADER); at >= 0; at = binary.indexOf(GZIP_HEADER, at + 1)) {
    let file: Buffer;
    try {
      // The stream's end is unknown: inflate what follows and stop at the gzip trailer.
      file = gunzipSync(binary.subarray(at, at + 4_000_000), { finishFlush: zlib.Z_SYNC_FLUSH });
    } catch {
      continue;
    }
    let f: Fields;
    try {
      f = readFields(file);
    } catch {
      continue;
    }
    if (!str(f, 1).endsWith("/generated.proto")) continue;
    const pkg = str(f, 2);
    for (const m of messages(f, 4)) readMessage(m, `.${pkg}`, pkg, out);
  }
  return out;
}

/** A Go struct field's json tag, for the fields that carry a protobuf tag: by proto field number. */
export interface GoField {
  goName: string;
  /** The JSON name ("" for an inline embedded struct). */
  json: string;
  omitempty: boolean;
  inline: boolean;
}

/** `k8s.io/api/core/v1.PodSpec` → proto field number → its Go field. */
export type GoStructs = Map<string, Map<number, GoField>>;

interface Section {
  name: string;
  addr: number;
  offset: number;
  size: number;
}

function elfSections(bin: Buffer): Section[] {
  const shoff = Number(bin.readBigUInt64LE(0x28));
  const entsize = bin.readUInt16LE(0x3a);
  const count = bin.readUInt16LE(0x3c);
  const raw = Array.from({ length: count }, (_, i) => {
    const at = shoff + i * entsize;
    return {
      nameOff: bin.readUInt32LE(at),
      addr: Number(bin.readBigUInt64LE(at + 16)),
      offset: Number(bin.readBigUInt64LE(at + 24)),
      size: Number(bin.readBigUInt64LE(at + 32)),
    };
  });
  const names = raw[bin.readUInt16LE(0x3e)];
  return raw.map((s) => {
    const start = names.offset + s.nameOff;
    return { name: bin.toString("latin1", start, bin.indexOf(0, start)), addr: s.addr, offset: s.offset, size: s.size };
  });
}

/**
 * The struct tags of the API types compiled into a Go (1.20+, amd64 ELF) kubectl, read from its reflection
 * data: every type reachable from the .typelink table, as runtime/type.go lays types out. The descriptors
 * cannot say which fields are `omitempty` (Go's JSON writes the others even when zero) nor which are embedded
 * `json:",inline"`; the tags can.
 */
export function readGoStructs(binaryPath: string): GoStructs {
  const bin = readFileSync(binaryPath);
  const sections = elfSections(bin);
  const rodata = sections.find((s) => s.name === ".rodata");
  const typelink = sections.find((s) => s.name === ".typelink");
  if (!rodata || !typelink) throw new Error(`${binaryPath}: no .rodata or .typelink section (not a Go ELF binary?)`);
  const fileOffset = (va: number) => {
    const s = sections.find((x) => x.addr && va >= x.addr && va < x.addr + x.size);
    return s ? s.offset + (va - s.addr) : -1;
  };
  const varint = (at: number): [number, number] => {
    let value = 0;
    let shift = 0;
    let b: number;
    do {
      b = bin[at++];
      value |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return [value, at];
  };
  // runtime.name: flags byte (2: has a tag, 8: embedded), varint length, bytes, then the tag likewise.
  const readName = (va: number) => {
    const at = fileOffset(va);
    const flags = bin[at];
    const [len, p] = varint(at + 1);
    const name = bin.toString("latin1", p, p + len);
    let tag = "";
    if (flags & 2) {
      const [tagLen, q] = varint(p + len);
      tag = bin.toString("latin1", q, q + tagLen);
    }
    return { name, tag };
  };
  const types = rodata.addr; // moduledata.types: the type data opens .rodata
  const out: GoStructs = new Map();
  const seen = new Set<number>();
  const walk = (va: number) => {
    if (!va || seen.has(va)) return;
    seen.add(va);
    const t = fileOffset(va);
    if (t < 0) return;
    const ptr = (o: number) => Number(bin.readBigUInt64LE(t + o));
    const kind = bin[t + 23] & 31;
    const tflag = bin[t + 20];
    if (kind === 17 || kind === 22 || kind === 23) return walk(ptr(48)); // array, pointer, slice: elem
    if (kind === 21) return [ptr(48), ptr(56)].forEach(walk); // map: key, elem
    if (kind !== 25) return;
    const fields = fileOffset(ptr(56));
    const count = ptr(64);
    const byNumber = new Map<number, GoField>();
    for (let i = 0; i < count; i++) {
      const f = fields + i * 24;
      const { name, tag } = readName(Number(bin.readBigUInt64LE(f)));
      walk(Number(bin.readBigUInt64LE(f + 8)));
      const json = /(?:^| )json:"([^"]*)"/.exec(tag)?.[1];
      const number = /(?:^| )protobuf:"\w+,(\d+),/.exec(tag)?.[1];
      if (json === undefined || number === undefined) continue;
      const [jsonName, ...opts] = json.split(",");
      byNumber.set(Number(number), {
        goName: name,
        json: jsonName,
        omitempty: opts.includes("omitempty"),
        inline: opts.includes("inline"),
      });
    }
    // A named type's uncommonType follows its structType (80 bytes) and names the defining package.
    if (!(tflag & 1)) return;
    const typeName = readName(types + bin.readInt32LE(t + 40)).name.replace(/^\*/, "");
    const pkg = readName(types + bin.readInt32LE(t + 80)).name;
    out.set(`${pkg}.${typeName.slice(typeName.lastIndexOf(".") + 1)}`, byNumber);
  };
  for (let at = typelink.offset; at < typelink.offset + typelink.size; at += 4) walk(types + bin.readInt32LE(at));
  return out;
}
