import { describe, expect, it } from "vitest";
import { decodeFrame, FrameType, INITIAL_WINDOW, windowPayload } from "../../../kube/tunnel-protocol.ts";
import { HubStream } from "./hub.ts";
import { ToNode } from "./to-node.ts";

/** A stream on a fake tunnel socket that records every frame sent to the node. */
function streamOnFakeSocket() {
  const sent: { type: number; payload: Uint8Array }[] = [];
  const socket = {
    send: (m: ArrayBuffer | Uint8Array | string) => {
      const frame = decodeFrame(m as Uint8Array);
      if (frame) sent.push({ type: frame.type, payload: frame.payload.slice() });
    },
    close: () => {},
  };
  const stream = new HubStream(
    1,
    "node-a",
    "conn:1",
    () => socket,
    () => {},
  );
  const data = () => sent.filter((f) => f.type === FrameType.data).reduce((n, f) => n + f.payload.byteLength, 0);
  return { stream, sent, data };
}

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("ToNode", () => {
  it("sends each message as its own write without batching, and closes after the last", async () => {
    const { stream, sent } = streamOnFakeSocket();
    const toNode = new ToNode(stream, { batch: false, overflow: () => {} });
    toNode.push(bytes(3, 0));
    toNode.push(bytes(2, 1));
    toNode.end();
    await settle();
    expect(sent.map((f) => [f.type, f.payload.byteLength])).toEqual([
      [FrameType.data, 3],
      [FrameType.data, 2],
      [FrameType.close, 0],
    ]);
  });

  it("waits for the node's credit with what the client sent, then sends it joined before the close", async () => {
    const { stream, sent, data } = streamOnFakeSocket();
    const toNode = new ToNode(stream, { batch: true, overflow: () => {} });
    toNode.push(bytes(INITIAL_WINDOW)); // takes all the credit
    toNode.push(bytes(100));
    toNode.push(bytes(50));
    toNode.end();
    await settle();
    expect(data()).toBe(INITIAL_WINDOW);
    expect(toNode.unsent).toBe(150);
    expect(sent.some((f) => f.type === FrameType.close)).toBe(false);
    stream.receive(FrameType.window, windowPayload(1024));
    await settle();
    expect(data()).toBe(INITIAL_WINDOW + 150);
    expect(sent.filter((f) => f.type === FrameType.data).at(-1)?.payload.byteLength).toBe(150);
    expect(sent.at(-1)?.type).toBe(FrameType.close);
  });

  it("cuts a client off once more waits than the bound allows, closing the stream", async () => {
    const { stream, sent } = streamOnFakeSocket();
    let overflows = 0;
    const toNode = new ToNode(stream, { batch: true, limit: 1000, overflow: () => overflows++ });
    await stream.write(bytes(INITIAL_WINDOW)); // all the credit: what the client sends now waits
    toNode.push(bytes(600));
    expect(overflows).toBe(0);
    toNode.push(bytes(600));
    expect(overflows).toBe(1);
    expect(stream.done).toBe(true);
    toNode.push(bytes(10));
    expect(overflows).toBe(1);
    expect(sent.at(-1)?.type).toBe(FrameType.close);
  });

  it("stops writing once the stream ended under it", async () => {
    const { stream, data } = streamOnFakeSocket();
    const toNode = new ToNode(stream, { batch: false, overflow: () => {} });
    stream.receive(FrameType.close, new Uint8Array());
    toNode.push(bytes(10));
    await settle();
    expect(data()).toBe(0);
    expect(toNode.unsent).toBe(0);
  });
});
