import { describe, expect, it } from "vitest";
import {
  decodeHeaderBlock,
  encodeData,
  encodeGoAway,
  encodeHeaderBlock,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  FrameReader,
  MAX_FRAME_LENGTH,
  parseFrame,
  SpdyProtocolError,
} from "./spdy-frames.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ""), "hex"));

describe("SPDY/3 frames", () => {
  // Golden bytes as Go's spdy framer writes them (spdystream spdy/write.go).
  it.each([
    ["data", encodeData(3, new TextEncoder().encode("hi")), "00000003 00000002 6869"],
    ["data with FIN", encodeData(5, new Uint8Array(), true), "00000005 01000000"],
    ["SYN_REPLY", encodeSynReply(1, bytes("aabb")), "80030002 00000006 00000001 aabb"],
    ["SYN_STREAM", encodeSynStream(7, bytes("cc"), 0x01, 3), "80030001 0100000b 00000007 00000000 6000 cc"],
    ["RST_STREAM cancel", encodeRstStream(3, 5), "80030003 00000008 00000003 00000005"],
    ["PING", encodePing(9), "80030006 00000004 00000009"],
    ["GOAWAY", encodeGoAway(11, 1), "80030007 00000008 0000000b 00000001"],
  ])("encodes %s", (_name, frame, golden) => {
    expect(hex(frame)).toBe(golden.replace(/\s/g, ""));
  });

  it.each([
    ["data", encodeData(3, bytes("0102"), true), { type: "data", streamId: 3, flags: 1, data: bytes("0102") }],
    [
      "SYN_STREAM",
      encodeSynStream(7, bytes("cc"), 0, 2),
      { type: "synStream", streamId: 7, associatedTo: 0, priority: 2, flags: 0, block: bytes("cc") },
    ],
    [
      "SYN_REPLY",
      encodeSynReply(2, bytes("dd"), true),
      { type: "synReply", streamId: 2, flags: 1, block: bytes("dd") },
    ],
    ["RST_STREAM", encodeRstStream(3, 5), { type: "rstStream", streamId: 3, status: 5 }],
    ["PING", encodePing(0xfffffffd), { type: "ping", id: 0xfffffffd }],
    ["GOAWAY", encodeGoAway(9, 0), { type: "goAway", lastGoodStreamId: 9, status: 0 }],
    [
      "WINDOW_UPDATE",
      bytes("80030009 00000008 00000003 00010000"),
      { type: "windowUpdate", streamId: 3, delta: 65536 },
    ],
    [
      "SETTINGS (skipped)",
      bytes("80030004 0000000c 00000001 00000007 00010000"),
      { type: "other", controlType: 4, flags: 0, payload: bytes("00000001 00000007 00010000") },
    ],
  ])("parses %s back", (_name, frame, parsed) => {
    expect(parseFrame(frame)).toEqual(parsed);
  });

  it("refuses other SPDY versions and short control frames", () => {
    expect(() => parseFrame(bytes("80020006 00000004 00000001"))).toThrow(SpdyProtocolError);
    expect(() => parseFrame(bytes("80030003 00000004 00000001"))).toThrow(/too short/);
  });

  it("cuts a byte stream into frames whatever the chunking", () => {
    const stream = Buffer.concat([encodePing(1), encodeData(3, bytes("abcdef")), encodeRstStream(3, 5)]);
    for (const size of [1, 3, 7, stream.byteLength]) {
      const reader = new FrameReader();
      const got: unknown[] = [];
      let wire = 0;
      for (let at = 0; at < stream.byteLength; at += size)
        for (const { frame, wireBytes } of reader.push(stream.subarray(at, at + size))) {
          got.push(frame.type);
          wire += wireBytes;
        }
      expect(got).toEqual(["ping", "data", "rstStream"]);
      expect(wire).toBe(stream.byteLength);
      expect(reader.buffered).toBe(0);
    }
  });

  it("refuses a frame longer than the bound before buffering it", () => {
    const header = new Uint8Array(8);
    new DataView(header.buffer).setUint32(4, MAX_FRAME_LENGTH + 1);
    expect(() => new FrameReader().push(header)).toThrow(/too large/);
  });
});

describe("header blocks", () => {
  it("encodes count, then length-prefixed lowercased names and NUL-joined values", () => {
    const block = encodeHeaderBlock({ Port: ["80"], a: ["x", "y"] });
    expect(hex(block)).toBe(
      "00000002" +
        "00000004" +
        hex(Buffer.from("port")) +
        "00000002" +
        hex(Buffer.from("80")) +
        "00000001" +
        "61" +
        "00000003" +
        "780079",
    );
    expect(decodeHeaderBlock(block)).toEqual({ port: ["80"], a: ["x", "y"] });
  });

  it("refuses a truncated block", () => {
    const block = encodeHeaderBlock({ streamtype: ["data"] });
    expect(() => decodeHeaderBlock(block.subarray(0, block.byteLength - 1))).toThrow(SpdyProtocolError);
  });
});
