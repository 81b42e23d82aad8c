import { describe, expect, it } from "vitest";
import { encodeClientFrame, FrameParser, Opcode } from "./ws-frames.ts";

describe("WebSocket frames", () => {
  it.each([0, 5, 125, 126, 1000, 65535, 65536, 200_000])("round-trips a %i-byte binary frame", (size) => {
    const payload = Buffer.alloc(size, 7);
    payload[0] = size & 0xff;
    const frames = new FrameParser().push(encodeClientFrame(Opcode.binary, payload));
    expect(frames).toHaveLength(1);
    expect(frames[0].opcode).toBe(Opcode.binary);
    expect(frames[0].fin).toBe(true);
    expect(frames[0].payload.equals(payload)).toBe(true);
  });

  it("masks the payload on the wire", () => {
    const wire = encodeClientFrame(Opcode.text, Buffer.from("abcd"), Buffer.from([1, 2, 3, 4]));
    expect([...wire.subarray(6)]).toEqual([97 ^ 1, 98 ^ 2, 99 ^ 3, 100 ^ 4]);
  });

  it("parses frames split across chunks and several in one chunk", () => {
    const wire = Buffer.concat([
      encodeClientFrame(Opcode.text, Buffer.from("ping")),
      encodeClientFrame(Opcode.binary, Buffer.alloc(300, 1)),
    ]);
    const parser = new FrameParser();
    const got = [
      ...parser.push(wire.subarray(0, 3)),
      ...parser.push(wire.subarray(3, 20)),
      ...parser.push(wire.subarray(20)),
    ];
    expect(got.map((f) => [f.opcode, f.payload.byteLength])).toEqual([
      [Opcode.text, 4],
      [Opcode.binary, 300],
    ]);
  });

  it("reads unmasked server frames", () => {
    const server = Buffer.from([0x82, 3, 9, 8, 7]);
    expect([...new FrameParser().push(server)[0].payload]).toEqual([9, 8, 7]);
  });
});
