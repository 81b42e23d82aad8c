import { describe, expect, it } from "vitest";
import { readCapped } from "./read-capped.ts";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

describe("readCapped", () => {
  it("joins the chunks of a body within the limit", async () => {
    const bytes = await readCapped(streamOf("ab", "cd", "e"), 5);
    expect(new TextDecoder().decode(bytes!)).toBe("abcde");
  });

  it("gives null as soon as the limit is passed", async () => {
    expect(await readCapped(streamOf("abc", "def"), 5)).toBeNull();
  });
});
