// WebSocket messages relayed through a tunnel stream (pods/proxy and services/proxy upgrades). A tunnel
// stream is a byte stream, so each message is framed: one type byte, a big-endian uint32 payload length,
// then the payload. A close carries the WebSocket close payload (uint16 code + UTF-8 reason); the handshake
// is the agent's first message, JSON {protocol} with the subprotocol the pod chose.

import { concatBytes } from "./bytes.ts";

export const RelayType = { handshake: 0, text: 1, binary: 2, close: 8 } as const;
export type RelayType = (typeof RelayType)[keyof typeof RelayType];

export interface RelayMessage {
  type: RelayType;
  payload: Uint8Array;
}

export interface RelayHandshake {
  protocol?: string;
}

const HEADER_BYTES = 5;
const TYPES = new Set<number>(Object.values(RelayType));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeRelayMessage(type: RelayType, payload: Uint8Array | string = new Uint8Array()): Uint8Array {
  const bytes = typeof payload === "string" ? encoder.encode(payload) : payload;
  const out = new Uint8Array(HEADER_BYTES + bytes.byteLength);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, bytes.byteLength);
  out.set(bytes, HEADER_BYTES);
  return out;
}

/** A close message's payload: the code (when there is one to send) and the reason. */
export function closePayload(code?: number, reason = ""): Uint8Array {
  if (code === undefined) return new Uint8Array();
  const text = encoder.encode(reason);
  const out = new Uint8Array(2 + text.byteLength);
  new DataView(out.buffer).setUint16(0, code);
  out.set(text, 2);
  return out;
}

export function readClose(payload: Uint8Array): { code?: number; reason: string } {
  if (payload.byteLength < 2) return { reason: "" };
  const code = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint16(0);
  return { code, reason: decoder.decode(payload.subarray(2)) };
}

export const relayText = (payload: Uint8Array) => decoder.decode(payload);

/**
 * Incremental parser: push the stream's bytes as they come, get whole messages out. An unknown type is a
 * protocol error (the stream is not a relay), reported by throwing.
 */
export class RelayParser {
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): RelayMessage[] {
    this.#buffer = this.#buffer.byteLength === 0 ? chunk.slice() : concatBytes([this.#buffer, chunk]);
    const out: RelayMessage[] = [];
    for (;;) {
      const b = this.#buffer;
      if (b.byteLength < HEADER_BYTES) return out;
      if (!TYPES.has(b[0])) throw new Error(`not a relayed WebSocket message (type ${b[0]})`);
      const length = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(1);
      if (b.byteLength < HEADER_BYTES + length) return out;
      out.push({ type: b[0] as RelayType, payload: b.slice(HEADER_BYTES, HEADER_BYTES + length) });
      this.#buffer = b.subarray(HEADER_BYTES + length);
    }
  }
}
