// A minimal protobuf writer for tests: builds hand-made bodies the decoder must read.
import { KUBERNETES_PROTOBUF_MAGIC } from "../decode.ts";

export type Part = Uint8Array;

export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? low | 0x80 : low);
  } while (v);
  return new Uint8Array(out);
}

export function concat(...parts: Part[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A varint field (int32, int64, bool; negative numbers sign-extended to 64 bits as protobuf does). */
export function int(field: number, value: number | bigint | boolean): Uint8Array {
  return concat(varint(field * 8), varint(typeof value === "boolean" ? Number(value) : value));
}

/** A length-delimited field: a string, raw bytes, or an already encoded message. */
export function bytes(field: number, value: string | Uint8Array): Uint8Array {
  const payload = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return concat(varint(field * 8 + 2), varint(payload.length), payload);
}

export function message(field: number, ...parts: Part[]): Uint8Array {
  return bytes(field, concat(...parts));
}

/** One map entry {1: key, 2: value}. */
export function entry(field: number, key: string, value: string | Uint8Array): Uint8Array {
  return message(field, bytes(1, key), bytes(2, value));
}

/** `k8s\0` + runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array, ...extra: Part[]): Uint8Array {
  const typeMeta = message(1, bytes(1, apiVersion), bytes(2, kind));
  return concat(KUBERNETES_PROTOBUF_MAGIC, typeMeta, bytes(2, raw), ...extra);
}
