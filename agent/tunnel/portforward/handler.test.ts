// The portforward stream handler on a real AgentStream: accepted at once, SPDY in the stream's data both
// ways (credit given back), the pod's IP from the open request, and the end of the stream ending it.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeFrame, FrameType, type PortForwardOpen } from "../../../kube/tunnel-protocol.ts";
import { AgentStream, StreamError } from "../stream.ts";
import { portForwardHandler } from "./handler.ts";
import { encodeData, encodeSynStream, FLAG_FIN, FrameReader, type SpdyFrame, writeHeaders } from "./spdy-frames.ts";
import { HeaderZlib } from "./spdy-zlib.ts";

let server: net.Server;
let port: number;

beforeAll(async () => {
  server = net.createServer((s) => s.end("from the pod"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(() => {
  server.close();
});

const open = (podIP: string): PortForwardOpen => ({ kind: "portforward", podIP, pod: "web", uid: "u" });

describe("portForwardHandler", () => {
  it("refuses an open without a pod IP address (400)", async () => {
    const stream = new AgentStream(
      1,
      () => {},
      () => {},
    );
    const failure = await portForwardHandler()(open("web.default"), stream).catch((e: StreamError) => e);
    expect(failure).toBeInstanceOf(StreamError);
    expect((failure as StreamError).code).toBe(400);
  });

  it("serves SPDY carried in the stream's data and ends with the stream", async () => {
    const sent: { type: number; payload: Uint8Array }[] = [];
    const stream = new AgentStream(
      1,
      (bytes) => {
        const frame = decodeFrame(bytes)!;
        sent.push({ type: frame.type, payload: frame.payload.slice() });
      },
      () => {},
    );
    const dialled: string[] = [];
    const handler = portForwardHandler((host, p) => {
      dialled.push(`${host}:${p}`);
      return net.connect({ host: "127.0.0.1", port });
    });
    const done = handler(open("10.88.0.9"), stream);
    expect(sent[0]).toEqual({ type: FrameType.data, payload: new Uint8Array() });
    const zlib = new HeaderZlib();
    const syn = async (id: number, type: string) =>
      encodeSynStream(id, await writeHeaders({ streamtype: [type], port: ["8080"], requestid: ["0"] }, zlib.deflate));
    stream.receive(FrameType.data, await syn(1, "error"));
    stream.receive(FrameType.data, encodeData(1, new Uint8Array(), true));
    stream.receive(FrameType.data, await syn(3, "data"));
    const reader = new FrameReader();
    const frames: SpdyFrame[] = [];
    const deadline = Date.now() + 3000;
    while (!frames.some((f) => f.type === "data" && f.streamId === 1 && f.flags & FLAG_FIN) && Date.now() < deadline) {
      for (const s of sent.splice(1))
        if (s.type === FrameType.data) frames.push(...reader.push(s.payload).map((f) => f.frame));
      await new Promise((r) => setTimeout(r, 10));
    }
    // The dial went to the pod's IP from the open request, with the port from kubectl's headers.
    expect(dialled).toEqual(["10.88.0.9:8080"]);
    const body = frames
      .filter((f) => f.type === "data" && f.streamId === 3)
      .map((f) => (f as { data: Uint8Array }).data);
    expect(Buffer.concat(body).toString()).toBe("from the pod");
    stream.receive(FrameType.close, new Uint8Array());
    expect(await done).toEqual({});
    zlib.close();
  });
});
