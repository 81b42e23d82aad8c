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
