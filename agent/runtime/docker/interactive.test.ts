import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Channel } from "../../../kube/tunnel-protocol.ts";
import { type Interactive, inbound, outputParts } from "./interactive.ts";
import { StdioDemuxer } from "./logs.ts";

function session() {
  const io = new PassThrough();
  const written: string[] = [];
  io.on("data", (c: Buffer) => written.push(c.toString()));
  const sizes: { width: number; height: number }[] = [];
  const s: Interactive = { io, tty: true, resize: async (size) => sizes.push(size) };
  return { s, io, written, sizes };
}

const msg = (channel: number, body: string | number[]) =>
  new Uint8Array([channel, ...(typeof body === "string" ? Buffer.from(body) : body)]);

describe("inbound channel messages", () => {
  it("writes stdin, resizes on channel 4 and half-closes stdin on close(0); credit is given back for each", async () => {
    const { s, io, written, sizes } = session();
    let consumed = 0;
    const done = () => consumed++;
    inbound(msg(Channel.stdin, "ls\n"), s, done);
    inbound(msg(Channel.resize, '{"Width":120,"Height":30}'), s, done);
    inbound(msg(Channel.resize, "not json"), s, done);
    inbound(msg(Channel.close, [Channel.stdin]), s, done);
    await new Promise((resolve) => io.once("end", resolve));
    expect(written.join("")).toBe("ls\n");
    expect(sizes).toEqual([{ width: 120, height: 30 }]);
    expect(consumed).toBe(4);
  });

  it("a close of another channel leaves stdin open", () => {
    const { s, io } = session();
    inbound(msg(Channel.close, [Channel.stdout]), s, () => {});
    expect(io.writableEnded).toBe(false);
  });
});

describe("output to channel messages", () => {
  const framed = (stream: number, text: string) => {
    const head = Buffer.alloc(8);
    head[0] = stream;
    head.writeUInt32BE(text.length, 4);
    return Buffer.concat([head, Buffer.from(text)]);
  };

  it.each([
    ["a terminal's raw output is stdout", undefined, Buffer.from("\x1b[1m$ "), [[Channel.stdout, "\x1b[1m$ "]]],
    [
      "framed output is split into stdout and stderr",
      new StdioDemuxer(),
      Buffer.concat([framed(1, "out"), framed(2, "err")]),
      [
        [Channel.stdout, "out"],
        [Channel.stderr, "err"],
      ],
    ],
  ] as const)("%s", (_, demux, chunk, want) => {
    const parts = outputParts(demux, chunk).map((p) => [p[0], p.subarray(1).toString()]);
    expect(parts).toEqual(want);
  });
});
