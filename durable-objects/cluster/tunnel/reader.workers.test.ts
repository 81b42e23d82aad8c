// A tunnel stream as a response body: how it ends when the agent closes it, when the tunnel goes away
// mid-stream, and what a log client reads in that case (the failure worded in the body, then the error).
import { describe, expect, it } from "vitest";
import { FrameType, jsonPayload } from "../../../kube/tunnel-protocol.ts";
import { HubStream, type TunnelSocket } from "./hub.ts";
import { logFailureLine } from "./logs.ts";
import { responseBody, StreamReader } from "./reader.ts";

const text = (s: string) => new TextEncoder().encode(s);
const LOST = 'the connection to node "n1" was lost';

function newStream(): HubStream {
  const socket: TunnelSocket = { send: () => {}, close: () => {} };
  return new HubStream(
    1,
    "n1",
    "conn:1",
    () => socket,
    () => {},
  );
}

/** Everything the body yields, and the error it ends with (undefined: it ended cleanly). */
async function drain(body: ReadableStream<Uint8Array>): Promise<{ text: string; error?: string }> {
  const reader = body.getReader();
  let out = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: out };
      out += new TextDecoder().decode(value);
    }
  } catch (error) {
    return { text: out, error: (error as Error).message };
  }
}

type End = (s: HubStream) => void;
const lost: End = (s) => s.lost();
const closed: End = (s) => s.receive(FrameType.close, new Uint8Array());
const failed: End = (s) => s.receive(FrameType.error, jsonPayload({ message: "the runtime failed" }));

describe("responseBody", () => {
  const cases: [string, string[], End, boolean, { text: string; error?: string }][] = [
    ["closed by the agent", ["a\n", "b\n"], closed, true, { text: "a\nb\n" }],
    ["tunnel lost after whole lines", ["tick 1\n"], lost, true, { text: `tick 1\nerror: ${LOST}\n`, error: LOST }],
    ["tunnel lost mid-line", ["part"], lost, true, { text: `part\nerror: ${LOST}\n`, error: LOST }],
    ["tunnel lost before any output", [], lost, true, { text: `error: ${LOST}\n`, error: LOST }],
    [
      "the agent failed the stream",
      ["x\n"],
      failed,
      true,
      { text: "x\nerror: the runtime failed\n", error: "the runtime failed" },
    ],
    ["no wording asked for (proxy bodies)", ["a\n"], lost, false, { text: "a\n", error: LOST }],
  ];
  for (const [name, chunks, end, worded, want] of cases)
    it(name, async () => {
      const stream = newStream();
      const reader = new StreamReader(stream);
      for (const chunk of chunks) stream.receive(FrameType.data, text(chunk));
      end(stream);
      expect(await drain(responseBody(reader, undefined, worded ? logFailureLine : undefined))).toEqual(want);
    });

  it("words the failure after the output the client already read, while it follows", async () => {
    const stream = newStream();
    const body = responseBody(new StreamReader(stream), undefined, logFailureLine).getReader();
    stream.receive(FrameType.data, text("tick 1\n"));
    expect(new TextDecoder().decode((await body.read()).value)).toBe("tick 1\n");
    const next = body.read();
    stream.lost();
    expect(new TextDecoder().decode((await next).value)).toBe(`error: ${LOST}\n`);
    await expect(body.read()).rejects.toThrow(LOST);
  });
});
