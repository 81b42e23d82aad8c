import { describe, expect, it } from "vitest";
import { StdioDemuxer } from "./logs.ts";

const frame = (stream: number, text: string) => {
  const data = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.byteLength, 4);
  return Buffer.concat([header, data]);
};

describe("StdioDemuxer", () => {
  it("splits stdout and stderr payloads, across chunk boundaries", () => {
    const wire = Buffer.concat([frame(1, "out\n"), frame(2, "err\n"), frame(1, "")]);
    const demux = new StdioDemuxer();
    const got = [
      ...demux.push(wire.subarray(0, 5)),
      ...demux.push(wire.subarray(5, 13)),
      ...demux.push(wire.subarray(13)),
    ];
    expect(got.map((p) => [p.stream, p.data.toString()])).toEqual([
      [1, "out\n"],
      [2, "err\n"],
      [1, ""],
    ]);
  });
});
