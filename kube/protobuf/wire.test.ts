import { describe, expect, it } from "vitest";
import { concat, varint } from "./testdata/encode.ts";
import { ProtobufError, toInt32, toInt64, WireReader, WireType } from "./wire.ts";

const reader = (...b: number[]) => new WireReader(new Uint8Array(b));

describe("WireReader varints", () => {
  it.each([
    { bytes: [0x00], value: 0n },
    { bytes: [0x01], value: 1n },
    { bytes: [0xac, 0x02], value: 300n },
    { bytes: [0xff, 0xff, 0xff, 0xff, 0x0f], value: 0xffffffffn },
    { bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], value: 2n ** 64n - 1n },
  ])("reads $bytes as $value", ({ bytes, value }) => {
    const r = reader(...bytes);
    expect(r.readVarint()).toBe(value);
    expect(r.done).toBe(true);
  });

  it.each([
    { value: -1, int32: -1, int64: -1 },
    { value: -62135596800, int32: -2006054656, int64: -62135596800 },
    { value: 2 ** 32 + 5, int32: 5, int64: 2 ** 32 + 5 },
    { value: 2 ** 31 - 1, int32: 2 ** 31 - 1, int64: 2 ** 31 - 1 },
  ])("converts $value as protobuf sign-extends it", ({ value, int32, int64 }) => {
    const v = new WireReader(varint(value)).readVarint();
    expect(toInt32(v)).toBe(int32);
    expect(toInt64(v)).toBe(int64);
  });

  it("reads lengths and tags as numbers", () => {
    const r = new WireReader(concat(varint(12345678), varint(15 * 8 + 2)));
    expect(r.readLength("length")).toBe(12345678);
    expect(r.readTag()).toEqual({ field: 15, wire: WireType.LengthDelimited });
  });
});

describe("WireReader on malformed input", () => {
  const cases: { name: string; bytes: number[]; read: (r: WireReader) => unknown; error: RegExp }[] = [
    { name: "empty varint", bytes: [], read: (r) => r.readVarint(), error: /unexpected end of data reading varint/ },
    { name: "truncated varint", bytes: [0x80, 0x80], read: (r) => r.readVarint(), error: /unexpected end/ },
    {
      name: "eleven-byte varint",
      bytes: Array(11).fill(0xff),
      read: (r) => r.readVarint(),
      error: /varint longer than 10 bytes/,
    },
    { name: "overlong length", bytes: Array(11).fill(0x80), read: (r) => r.readLength("length"), error: /longer/ },
    {
      name: "length past the end",
      bytes: [0x05, 0x61, 0x62],
      read: (r) => r.readBytes(),
      error: /length 5 at offset 0 runs past the end of the data \(2 bytes left\)/,
    },
    {
      name: "huge length",
      bytes: [0xff, 0xff, 0xff, 0xff, 0x0f],
      read: (r) => r.readBytes(),
      error: /runs past the end/,
    },
    { name: "field number 0", bytes: [0x02], read: (r) => r.readTag(), error: /invalid field number 0 at offset 0/ },
    { name: "truncated fixed64", bytes: [1, 2, 3], read: (r) => r.skip(WireType.Fixed64), error: /reading fixed64/ },
    { name: "truncated fixed32", bytes: [1], read: (r) => r.skip(WireType.Fixed32), error: /reading fixed32/ },
    { name: "group", bytes: [], read: (r) => r.skip(WireType.StartGroup), error: /unsupported wire type 3/ },
    { name: "wire type 7", bytes: [], read: (r) => r.skip(7), error: /unsupported wire type 7/ },
  ];
  it.each(cases)("$name fails clearly", ({ bytes, read, error }) => {
    const r = reader(...bytes);
    expect(() => read(r)).toThrow(ProtobufError);
    expect(() => read(reader(...bytes))).toThrow(error);
  });

  it("skips fixed32, fixed64, varint and length-delimited values", () => {
    const r = reader(1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 0x96, 0x01, 0x02, 0x61, 0x62);
    r.skip(WireType.Fixed32);
    r.skip(WireType.Fixed64);
    r.skip(WireType.Varint);
    r.skip(WireType.LengthDelimited);
    expect(r.done).toBe(true);
  });

  it("respects a sub-range and refuses an invalid one", () => {
    const r = new WireReader(new Uint8Array([0x01, 0x02, 0x03]), 1, 2);
    expect(r.readVarint()).toBe(2n);
    expect(r.done).toBe(true);
    expect(() => new WireReader(new Uint8Array(2), 1, 3)).toThrow(/invalid range 1..3/);
  });

  it("decodes invalid UTF-8 leniently, as Go does", () => {
    expect(reader(0x02, 0xff, 0x41).readString()).toBe("\ufffdA");
  });
});
