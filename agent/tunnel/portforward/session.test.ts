// The SPDY server against an in-process fake kubectl built from the codec, forwarding to local TCP servers.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PortForwardSession, streamHeadersProblem } from "./session.ts";
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynStream,
  FLAG_FIN,
  FrameReader,
  readHeaders,
  type SpdyFrame,
  writeHeaders,
} from "./spdy-frames.ts";
import { HeaderZlib } from "./spdy-zlib.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const utf8 = (s: string) => new TextEncoder().encode(s);

/** kubectl's side: SYN_STREAMs through its own zlib context, bytes fed in odd-sized chunks as a WebSocket would. */
class FakeKubectl {
  readonly zlib = new HeaderZlib();
  readonly reader = new FrameReader();
  readonly frames: SpdyFrame[] = [];
  readonly session: PortForwardSession;
  consumed = 0;
  sent = 0;
  #nextId = 1;
  #writing = Promise.resolve();
  #waiters: (() => void)[] = [];

  constructor(pairTimeoutMs?: number) {
    this.session = new PortForwardSession({
      podIP: "127.0.0.1",
      pod: "web",
      uid: "u-1",
      pairTimeoutMs,
      send: async (bytes) => {
        for (const { frame } of this.reader.push(bytes)) this.frames.push(frame);
        for (const wake of this.#waiters.splice(0)) wake();
        return true;
      },
      consumed: (n) => {
        this.consumed += n;
      },
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    this.sent += bytes.byteLength;
    this.#writing = this.#writing.then(async () => {
      for (let at = 0; at < bytes.byteLength; at += 5) await this.session.receive(bytes.subarray(at, at + 5));
    });
    return this.#writing;
  }

  async open(type: "error" | "data", port: number, requestId: string | undefined, fin = false): Promise<number> {
    const id = this.#nextId;
    this.#nextId += 2;
    const headers: Record<string, string[]> = { streamtype: [type], port: [String(port)] };
    if (requestId !== undefined) headers.requestid = [requestId];
    await this.write(encodeSynStream(id, await writeHeaders(headers, this.zlib.deflate), fin ? FLAG_FIN : 0));
    return id;
  }

  /** Opens the error (half-closed, as kubectl does) and data streams of one forwarded connection. */
  async connect(port: number, requestId: string): Promise<{ error: number; data: number }> {
    const error = await this.open("error", port, requestId, true);
    const data = await this.open("data", port, requestId);
    return { error, data };
  }

  async waitFor(what: string, test: (frames: SpdyFrame[]) => boolean, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test(this.frames)) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}: ${JSON.stringify(this.frames.map((f) => [f.type, "streamId" in f ? f.streamId : 0, "data" in f ? text(f.data) : "", "flags" in f ? f.flags : 0]))}`,
        );
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  dataOn(id: number): string {
    return this.frames
      .filter((f): f is Extract<SpdyFrame, { type: "data" }> => f.type === "data" && f.streamId === id)
      .map((f) => text(f.data))
      .join("");
  }

  finished(id: number): boolean {
    return this.frames.some((f) => f.type === "data" && f.streamId === id && (f.flags & FLAG_FIN) !== 0);
  }

  close(): void {
    this.session.close();
    this.zlib.close();
  }
}

let echo: net.Server;
let echoPort: number;
let hello: net.Server;
let helloPort: number;
let deadPort: number;

const listen = async (server: net.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
};

beforeAll(async () => {
  echo = net.createServer((s) => s.pipe(s));
  echoPort = await listen(echo);
  // Answers like an HTTP server that closes after its response.
  hello = net.createServer((s) => s.end("hello from the pod\n"));
  helloPort = await listen(hello);
  const dead = net.createServer();
  deadPort = await listen(dead);
  await new Promise((resolve) => dead.close(resolve));
});

afterAll(() => {
  echo.close();
  hello.close();
});

describe("port-forward SPDY session", () => {
  it("replies to both streams, relays both ways, and ends both streams when the pod's side ends", async () => {
    const k = new FakeKubectl();
    const { error, data } = await k.connect(echoPort, "0");
    await k.waitFor("replies", (fs) => fs.filter((f) => f.type === "synReply").length === 2);
    for (const reply of k.frames.filter((f) => f.type === "synReply"))
      expect(await readHeaders((reply as { block: Uint8Array }).block, k.zlib.inflate)).toEqual({});
    await k.write(encodeData(data, utf8("ping through the tunnel")));
    await k.waitFor("echo", () => k.dataOn(data) === "ping through the tunnel");
    await k.write(encodeData(data, new Uint8Array(), true));
    await k.waitFor("FINs", () => k.finished(data) && k.finished(error));
    expect(k.dataOn(error)).toBe("");
    expect(k.session.openPairs).toBe(0);
    expect(k.consumed).toBe(k.sent);
    k.close();
  });

  it("sends what the pod wrote and ends when the pod closes first (an HTTP answer)", async () => {
    const k = new FakeKubectl();
    const { error, data } = await k.connect(helloPort, "0");
    await k.waitFor("FINs", () => k.finished(data) && k.finished(error));
    expect(k.dataOn(data)).toBe("hello from the pod\n");
    k.close();
  });

  it("writes the kubelet's message on the error stream for a dead port, and serves the next connection", async () => {
    const k = new FakeKubectl();
    const first = await k.connect(deadPort, "0");
    await k.waitFor("error FIN", () => k.finished(first.error));
    expect(k.dataOn(first.error)).toBe(
      `error forwarding port ${deadPort} to pod web, uid u-1: dial tcp 127.0.0.1:${deadPort}: connect: connection refused`,
    );
    expect(k.finished(first.data)).toBe(true);
    const second = await k.connect(helloPort, "1");
    await k.waitFor("answer", () => k.finished(second.data));
    expect(k.dataOn(second.data)).toBe("hello from the pod\n");
    k.close();
  });

  it("keeps concurrent connections apart by requestid, whatever order their streams come in", async () => {
    const k = new FakeKubectl();
    const aError = await k.open("error", echoPort, "a", true);
    const bData = await k.open("data", echoPort, "b");
    const aData = await k.open("data", echoPort, "a");
    const bError = await k.open("error", echoPort, "b", true);
    await k.write(encodeData(aData, utf8("to a")));
    await k.write(encodeData(bData, utf8("to b")));
    await k.waitFor("both echoes", () => k.dataOn(aData) === "to a" && k.dataOn(bData) === "to b");
    expect(k.session.openPairs).toBe(2);
    await k.write(encodeRstStream(aData, 5));
    await k.waitFor("a ended", () => k.finished(aError));
    expect(k.finished(bError)).toBe(false);
    await k.write(encodeData(bData, utf8(" again")));
    await k.waitFor("b still works", () => k.dataOn(bData) === "to b again");
    k.close();
  });

  it("carries a megabyte each way in kubectl-sized frames, giving all credit back", async () => {
    const k = new FakeKubectl();
    const { data } = await k.connect(echoPort, "0");
    const payload = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    for (let at = 0; at < payload.byteLength; at += 32 * 1024)
      void k.write(encodeData(data, payload.subarray(at, at + 32 * 1024)));
    const received = () =>
      k.frames.reduce((n, f) => n + (f.type === "data" && f.streamId === data ? f.data.byteLength : 0), 0);
    await k.waitFor("the echo", () => received() === payload.byteLength, 10_000);
    const echoed = Buffer.concat(
      k.frames.filter((f) => f.type === "data" && f.streamId === data).map((f) => (f as { data: Uint8Array }).data),
    );
    expect(Buffer.compare(echoed, Buffer.from(payload))).toBe(0);
    await k.waitFor("credit", () => k.consumed === k.sent);
    k.close();
  });

  it("echoes the client's pings only", async () => {
    const k = new FakeKubectl();
    await k.write(encodePing(1));
    await k.write(encodePing(2));
    await k.write(encodePing(3));
    await k.waitFor("pongs", (fs) => fs.filter((f) => f.type === "ping").length === 2);
    expect(k.frames.filter((f) => f.type === "ping").map((f) => (f as { id: number }).id)).toEqual([1, 3]);
    k.close();
  });

  it("resets streams with bad headers or ids, and keeps the zlib context in step after them", async () => {
    const k = new FakeKubectl();
    await k.open("data", 0, "0");
    await k.waitFor("reset", (fs) => fs.some((f) => f.type === "rstStream"));
    expect(k.frames[0]).toEqual({ type: "rstStream", streamId: 1, status: 5 });
    const { data } = await k.connect(helloPort, "1");
    await k.waitFor("answer", () => k.finished(data));
    expect(k.dataOn(data)).toBe("hello from the pod\n");
    await k.write(encodeSynStream(2, await writeHeaders({ streamtype: ["data"], port: ["80"] }, k.zlib.deflate)));
    await k.waitFor("protocol error", (fs) => fs.some((f) => f.type === "rstStream" && f.streamId === 2));
    expect(k.frames.find((f) => f.type === "rstStream" && f.streamId === 2)).toMatchObject({ status: 1 });
    k.close();
  });

  it.each([
    [{ streamtype: ["data"] }, `"port" header is required`],
    [{ port: ["x1"], streamtype: ["data"] }, `unable to parse "x1" as a port`],
    [{ port: ["70000"], streamtype: ["data"] }, `unable to parse "70000" as a port`],
    [{ port: ["0"], streamtype: ["data"] }, `port "0" must be > 0`],
    [{ port: ["80"] }, `"streamType" header is required`],
    [{ port: ["80"], streamtype: ["stdin"] }, `invalid stream type "stdin"`],
    [{ port: ["80"], streamtype: ["error"] }, undefined],
  ])("checks stream headers like the kubelet: %j", (headers, problem) => {
    expect(streamHeadersProblem(headers)).toBe(problem);
  });

  it("pairs streams without requestid by consecutive ids, as the kubelet does for old clients", async () => {
    const k = new FakeKubectl();
    const error = await k.open("error", helloPort, undefined, true);
    const data = await k.open("data", helloPort, undefined);
    await k.waitFor("answer", () => k.finished(data) && k.finished(error));
    expect(k.dataOn(data)).toBe("hello from the pod\n");
    k.close();
  });

  it("gives up on a pair whose second stream never comes", async () => {
    const k = new FakeKubectl(50);
    const error = await k.open("error", echoPort, "7", true);
    await k.waitFor("timeout", () => k.finished(error));
    expect(k.dataOn(error)).toBe("(conn=web, request=7) timed out waiting for streams");
    expect(k.session.openPairs).toBe(0);
    k.close();
  });

  it("answers garbage with GOAWAY (protocol error) and ends; a client's GOAWAY ends an idle session", async () => {
    const k = new FakeKubectl();
    await k.write(utf8("GET / HTTP/1.1\r\n\r\n"));
    await k.session.done;
    expect(k.frames.at(-1)).toMatchObject({ type: "goAway", status: 1 });
    const idle = new FakeKubectl();
    await idle.write(encodeGoAway(0, 0));
    await idle.session.done;
    idle.close();
    k.close();
  });
});
