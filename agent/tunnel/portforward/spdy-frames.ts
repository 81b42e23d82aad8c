// SPDY/3 framing as kubectl's port-forward speaks it (moby/spdystream over Go's spdy framer): a pure codec
// for frames and uncompressed header blocks. Header blocks travel zlib-compressed (spdy-zlib.ts); frames
// here carry them as they are on the wire, so the session can feed them through one zlib context per
// direction in order.
//   control frame: 1 bit control | 15 bits version | 16 bits type | 8 bits flags | 24 bits length | data
//   data frame:    1 bit 0 | 31 bits stream id | 8 bits flags | 24 bits length | data

import { concatBytes } from "../../../kube/bytes.ts";

export const SPDY_VERSION = 3;

export const ControlType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = { protocolError: 1, invalidStream: 2, refusedStream: 3, cancel: 5, internalError: 6 } as const;
/** GOAWAY status codes. */
export const GoAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

const HEADER_BYTES = 8;
/**
 * The longest frame accepted. kubectl's data frames are at most 32 KiB (io.Copy's buffer); the bound keeps a
 * partial frame well inside the tunnel's receive window, whose credit is returned only for whole frames.
 */
export const MAX_FRAME_LENGTH = 96 * 1024;

export type SpdyFrame =
  | { type: "data"; streamId: number; flags: number; data: Uint8Array }
  | { type: "synStream"; streamId: number; associatedTo: number; priority: number; flags: number; block: Uint8Array }
  | { type: "synReply"; streamId: number; flags: number; block: Uint8Array }
  | { type: "headers"; streamId: number; flags: number; block: Uint8Array }
  | { type: "rstStream"; streamId: number; status: number }
  | { type: "ping"; id: number }
  | { type: "goAway"; lastGoodStreamId: number; status: number }
  | { type: "windowUpdate"; streamId: number; delta: number }
  /** SETTINGS and types this codec does not know: skipped by the session. */
  | { type: "other"; controlType: number; flags: number; payload: Uint8Array };

export class SpdyProtocolError extends Error {}

/** The whole frame length (header + payload) of a frame that starts at `bytes`, or undefined when short. */
function frameLength(bytes: Uint8Array): number | undefined {
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  return HEADER_BYTES + (((bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0);
}

/** Parses one whole frame (header + payload). Throws SpdyProtocolError for frames SPDY/3 forbids. */
export function parseFrame(frame: Uint8Array): SpdyFrame {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const first = view.getUint32(0);
  const flags = frame[4];
  const payload = frame.subarray(HEADER_BYTES);
  const p = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const need = (n: number) => {
    if (payload.byteLength < n) throw new SpdyProtocolError(`control frame too short (${payload.byteLength} bytes)`);
  };
  if ((first & 0x80000000) === 0) return { type: "data", streamId: first & 0x7fffffff, flags, data: payload };
  const version = (first >>> 16) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const controlType = first & 0xffff;
  const id31 = (at: number) => p.getUint32(at) & 0x7fffffff;
  switch (controlType) {
    case ControlType.synStream:
      need(10);
      return {
        type: "synStream",
        streamId: id31(0),
        associatedTo: id31(4),
        priority: payload[8] >> 5,
        flags,
        block: payload.subarray(10),
      };
    case ControlType.synReply:
    case ControlType.headers:
      need(4);
      return {
        type: controlType === ControlType.synReply ? "synReply" : "headers",
        streamId: id31(0),
        flags,
        block: payload.subarray(4),
      };
    case ControlType.rstStream:
      need(8);
      return { type: "rstStream", streamId: id31(0), status: p.getUint32(4) };
    case ControlType.ping:
      need(4);
      return { type: "ping", id: p.getUint32(0) };
    case ControlType.goAway:
      need(8);
      return { type: "goAway", lastGoodStreamId: id31(0), status: p.getUint32(4) };
    case ControlType.windowUpdate:
      need(8);
      return { type: "windowUpdate", streamId: id31(0), delta: p.getUint32(4) & 0x7fffffff };
    default:
      return { type: "other", controlType, flags, payload };
  }
}

/**
 * Cuts a byte stream into frames: message boundaries of the carrier mean nothing, so bytes are held until a
 * frame is whole (joined only then, so a frame arriving in many small pieces costs no repeated copying).
 * `push` takes ownership of the bytes and answers the whole frames they completed, each with its wire length.
 */
export class FrameReader {
  #chunks: Uint8Array[] = [];
  #total = 0;

  push(bytes: Uint8Array): { frame: SpdyFrame; wireBytes: number }[] {
    if (bytes.byteLength > 0) this.#chunks.push(bytes);
    this.#total += bytes.byteLength;
    const out: { frame: SpdyFrame; wireBytes: number }[] = [];
    while (this.#total >= HEADER_BYTES) {
      const length = frameLength(this.#head(HEADER_BYTES)) ?? 0;
      if (length - HEADER_BYTES > MAX_FRAME_LENGTH)
        throw new SpdyProtocolError(`frame of ${length - HEADER_BYTES} bytes is too large`);
      if (this.#total < length) break;
      const frame = this.#head(length).subarray(0, length);
      this.#chunks[0] = this.#chunks[0].subarray(length);
      if (this.#chunks[0].byteLength === 0) this.#chunks.shift();
      this.#total -= length;
      out.push({ frame: parseFrame(frame), wireBytes: length });
    }
    return out;
  }

  /** Bytes held for a frame not yet whole. */
  get buffered(): number {
    return this.#total;
  }

  /** The first chunk, joined with the next ones until it holds at least n bytes (n ≤ the total held). */
  #head(n: number): Uint8Array {
    if (this.#chunks[0].byteLength < n) this.#chunks = [concatBytes(this.#chunks)];
    return this.#chunks[0];
  }
}

function controlFrame(type: number, flags: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x8000 | SPDY_VERSION);
  view.setUint16(2, type);
  view.setUint32(4, ((flags << 24) | payload.byteLength) >>> 0);
  out.set(payload, HEADER_BYTES);
  return out;
}

function words(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    view.setUint32(i * 4, v >>> 0);
  });
  return out;
}

export function encodeData(streamId: number, data: Uint8Array, fin = false): Uint8Array {
  if (data.byteLength > 0xffffff) throw new RangeError("data frame too long");
  const out = new Uint8Array(HEADER_BYTES + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, streamId & 0x7fffffff);
  view.setUint32(4, (((fin ? FLAG_FIN : 0) << 24) | data.byteLength) >>> 0);
  out.set(data, HEADER_BYTES);
  return out;
}

/** `block` is the compressed header block. */
export function encodeSynStream(streamId: number, block: Uint8Array, flags = 0, priority = 0): Uint8Array {
  const fixed = new Uint8Array(10);
  const view = new DataView(fixed.buffer);
  view.setUint32(0, streamId & 0x7fffffff);
  fixed[8] = (priority & 7) << 5;
  return controlFrame(ControlType.synStream, flags, concatBytes([fixed, block]));
}

export function encodeSynReply(streamId: number, block: Uint8Array, fin = false): Uint8Array {
  return controlFrame(ControlType.synReply, fin ? FLAG_FIN : 0, concatBytes([words(streamId & 0x7fffffff), block]));
}

export function encodeRstStream(streamId: number, status: number): Uint8Array {
  return controlFrame(ControlType.rstStream, 0, words(streamId & 0x7fffffff, status));
}

export function encodePing(id: number): Uint8Array {
  return controlFrame(ControlType.ping, 0, words(id));
}

export function encodeGoAway(lastGoodStreamId: number, status: number): Uint8Array {
  return controlFrame(ControlType.goAway, 0, words(lastGoodStreamId & 0x7fffffff, status));
}

/** Header names and their values (SPDY joins repeated values with NUL in one entry). */
export type SpdyHeaders = Record<string, string[]>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The uncompressed header block: uint32 count, then per entry uint32-length name and NUL-joined value. */
export function encodeHeaderBlock(headers: SpdyHeaders): Uint8Array {
  const parts: Uint8Array[] = [words(Object.keys(headers).length)];
  for (const [name, values] of Object.entries(headers)) {
    const n = encoder.encode(name.toLowerCase());
    const v = encoder.encode(values.join("\0"));
    parts.push(words(n.byteLength), n, words(v.byteLength), v);
  }
  return concatBytes(parts);
}

export function decodeHeaderBlock(block: Uint8Array): SpdyHeaders {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  let at = 0;
  const u32 = () => {
    if (at + 4 > block.byteLength) throw new SpdyProtocolError("header block truncated");
    const v = view.getUint32(at);
    at += 4;
    return v;
  };
  const text = () => {
    const length = u32();
    if (at + length > block.byteLength) throw new SpdyProtocolError("header block truncated");
    const s = decoder.decode(block.subarray(at, at + length));
    at += length;
    return s;
  };
  const count = u32();
  const headers: SpdyHeaders = {};
  for (let i = 0; i < count; i++) {
    const name = text().toLowerCase();
    const values = text().split("\0");
    headers[name] = [...(headers[name] ?? []), ...values];
  }
  return headers;
}

/** A header's first value. */
export const header = (headers: SpdyHeaders, name: string): string | undefined => headers[name]?.[0];

/** Header blocks through a zlib context: `inflate`/`deflate` keep one context per direction. */
export async function readHeaders(
  compressed: Uint8Array,
  inflate: (bytes: Uint8Array) => Promise<Uint8Array>,
): Promise<SpdyHeaders> {
  return decodeHeaderBlock(await inflate(compressed));
}

export async function writeHeaders(
  headers: SpdyHeaders,
  deflate: (bytes: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  return deflate(encodeHeaderBlock(headers));
}
