import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { decodeFrame, FrameType, POLICY_DENIED, type TcpOpen } from "../../kube/tunnel-protocol.ts";
import { AgentStream, StreamError } from "./stream.ts";
import { tcpHandler } from "./tcp.ts";

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function capture() {
  const frames: { type: number; text: string }[] = [];
  const stream = new AgentStream(
    3,
    (bytes) => {
      const f = decodeFrame(bytes)!;
      frames.push({ type: f.type, text: new TextDecoder().decode(f.payload) });
    },
    () => {},
  );
  return { stream, frames };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe("tcp streams", () => {
  it("accepts once connected, relays both ways, and closes when the pod closes", async () => {
    const server = net.createServer((s) => s.once("data", (d) => s.end(`echo:${d}`)));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    const { stream, frames } = capture();
    const done = tcpHandler()({ kind: "tcp", podIP: "127.0.0.1", port } satisfies TcpOpen, stream);
    await until(() => frames.length > 0);
    expect(frames[0]).toEqual({ type: FrameType.data, text: "" });
    stream.receive(FrameType.data, new TextEncoder().encode("ping"));
    await done;
    expect(frames.slice(1).map((f) => [f.type, f.text])).toEqual([
      [FrameType.data, "echo:ping"],
      [FrameType.close, "{}"],
    ]);
  });

  it("refuses with 503 and Go's dial wording when nothing listens", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    const { stream, frames } = capture();
    const error = await tcpHandler()({ kind: "tcp", podIP: "127.0.0.1", port }, stream).catch((e) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).code).toBe(503);
    expect((error as StreamError).message).toContain(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
    expect(frames).toEqual([]);
  });

  it("refuses with 403 what this node's NetworkPolicies refuse the vouched source, before dialling", async () => {
    let dialled = 0;
    const server = net.createServer((s) => {
      dialled++;
      s.end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    const asked: string[] = [];
    const policy = {
      allows: (source: string, destination: string, p: number) => {
        asked.push(`${source}>${destination}:${p}`);
        return source === "10.244.1.5";
      },
    };
    const refused = await tcpHandler(policy)(
      { kind: "tcp", podIP: "127.0.0.1", port, sourceIP: "10.244.1.9" },
      capture().stream,
    ).catch((e) => e);
    expect(refused).toBeInstanceOf(StreamError);
    expect((refused as StreamError).code).toBe(403);
    expect((refused as StreamError).message).toContain(POLICY_DENIED);
    expect(dialled).toBe(0);
    const { stream, frames } = capture();
    const done = tcpHandler(policy)({ kind: "tcp", podIP: "127.0.0.1", port, sourceIP: "10.244.1.5" }, stream);
    await until(() => frames.length > 0);
    expect(frames[0]).toEqual({ type: FrameType.data, text: "" });
    await done;
    expect(asked).toEqual([`10.244.1.9>127.0.0.1:${port}`, `10.244.1.5>127.0.0.1:${port}`]);
  });
});
