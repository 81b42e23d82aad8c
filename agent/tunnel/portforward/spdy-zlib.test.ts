import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeHeaderBlock, encodeHeaderBlock, readHeaders, writeHeaders } from "./spdy-frames.ts";
import { HeaderZlib, SPDY3_DICTIONARY } from "./spdy-zlib.ts";

/** Adler-32, to check the dictionary against the id Go's zlib writer puts in its header. */
function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

describe("SPDY/3 header zlib", () => {
  it("has the spec's dictionary (length and the Adler-32 id found in kubectl's zlib headers)", () => {
    expect(SPDY3_DICTIONARY.byteLength).toBe(1423);
    expect(adler32(SPDY3_DICTIONARY).toString(16)).toBe("e3c6a7c2");
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString("latin1")).toBe("\0\0\0\x07options");
  });

  it("round-trips blocks through one context per direction, each block decodable on its own flush", async () => {
    const sender = new HeaderZlib();
    const receiver = new HeaderZlib();
    const blocks = [0, 1, 2, 3].map((i) => ({
      streamtype: [i % 2 ? "data" : "error"],
      port: ["8080"],
      requestid: [`${i}`],
    }));
    const sizes: number[] = [];
    for (const headers of blocks) {
      const compressed = await writeHeaders(headers, sender.deflate);
      sizes.push(compressed.byteLength);
      // A sync flush ends every block: the receiver needs nothing of the next one.
      expect(Buffer.from(compressed.subarray(-4)).toString("hex")).toBe("0000ffff");
      expect(await readHeaders(compressed, receiver.inflate)).toEqual(headers);
    }
    // The shared context pays off: later blocks refer back to earlier ones.
    expect(sizes[3]).toBeLessThan(sizes[0]);
    sender.close();
    receiver.close();
  });

  it("inflates a stream made by node:zlib with the dictionary (as a Go peer's framer makes it)", async () => {
    const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const chunks: Buffer[] = [];
    deflate.on("data", (c: Buffer) => chunks.push(c));
    const block = (headers: Record<string, string[]>) =>
      new Promise<Buffer>((resolve) => {
        deflate.write(encodeHeaderBlock(headers));
        deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks.splice(0))));
      });
    const first = await block({ streamtype: ["error"], port: ["80"], requestid: ["0"] });
    const second = await block({ streamtype: ["data"], port: ["80"], requestid: ["0"] });
    // zlib header with FDICT and the dictionary's id.
    expect(first.subarray(0, 6).toString("hex")).toMatch(/^78..e3c6a7c2$/);
    const z = new HeaderZlib();
    expect(decodeHeaderBlock(await z.inflate(first))).toEqual({
      streamtype: ["error"],
      port: ["80"],
      requestid: ["0"],
    });
    expect(decodeHeaderBlock(await z.inflate(second))).toEqual({
      streamtype: ["data"],
      port: ["80"],
      requestid: ["0"],
    });
    deflate.destroy();
    z.close();
  });

  it("fails a block that is not zlib, and every block after it", async () => {
    const z = new HeaderZlib();
    await expect(z.inflate(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
    await expect(z.inflate(new Uint8Array([0x78]))).rejects.toThrow();
    z.close();
  });
});
