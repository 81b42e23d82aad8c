import { describe, expect, it } from "vitest";
import { decodeFrame, FrameType, INITIAL_WINDOW, readWindow, windowPayload } from "../../kube/tunnel-protocol.ts";
import { AgentStream } from "./stream.ts";

function setup() {
  const sent: { type: number; payload: Uint8Array }[] = [];
  const stream = new AgentStream(
    5,
    (bytes) => {
      const f = decodeFrame(bytes)!;
      sent.push({ type: f.type, payload: f.payload.slice() });
    },
    () => {},
  );
  return { stream, sent };
}

describe("AgentStream", () => {
  it("stops writing at the object's credit and goes on after a window frame", async () => {
    const { stream, sent } = setup();
    await stream.write(new Uint8Array(INITIAL_WINDOW));
    let done = false;
    const more = stream.write(new Uint8Array(10)).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    stream.receive(FrameType.window, windowPayload(10));
    await more;
    const bytes = sent.filter((f) => f.type === FrameType.data).reduce((n, f) => n + f.payload.byteLength, 0);
    expect(bytes).toBe(INITIAL_WINDOW + 10);
  });

  it("hands data to the handler, buffered until it listens, and grants credit as it is consumed", () => {
    const { stream, sent } = setup();
    stream.receive(FrameType.data, new Uint8Array(INITIAL_WINDOW / 2));
    const got: number[] = [];
    stream.onData = (b) => {
      got.push(b.byteLength);
      stream.consumed(b.byteLength);
    };
    expect(got).toEqual([INITIAL_WINDOW / 2]);
    expect(readWindow(sent.find((f) => f.type === FrameType.window)!.payload)).toBe(INITIAL_WINDOW / 2);
  });

  it("aborts when the object closes the stream, and fails a peer that overruns the window", () => {
    const a = setup();
    a.stream.receive(FrameType.close, new Uint8Array());
    expect(a.stream.signal.aborted).toBe(true);
    const b = setup();
    b.stream.receive(FrameType.data, new Uint8Array(INITIAL_WINDOW + 1));
    expect(b.sent.at(-1)?.type).toBe(FrameType.error);
    expect(b.stream.signal.aborted).toBe(true);
  });
});
