// The agent's WebSocket proxy handler against a real local WebSocket server (the e2e's echo server, run as
// its own Node process): the handshake with the chosen subprotocol, messages relayed both ways in the relay
// framing, the close passed on, and a refused connection or a refused upgrade reported before accepting.
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeFrame, FrameType, type WebSocketOpen } from "../../kube/tunnel-protocol.ts";
import {
  closePayload,
  encodeRelayMessage,
  type RelayMessage,
  RelayParser,
  RelayType,
  readClose,
  relayText,
} from "../../kube/ws-relay.ts";
import { AgentStream, StreamError } from "./stream.ts";
import { handshakeError, podUrl, wsProxyHandler } from "./ws-proxy.ts";

const ECHO = fileURLToPath(new URL("../../test/e2e/fixtures/ws-echo.mjs", import.meta.url));

let echo: ChildProcess;
let echoPort: number;
let plain: http.Server;
let plainPort: number;

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  echoPort = await freePort();
  echo = spawn(process.execPath, [ECHO], { env: { ...process.env, PORT: String(echoPort), POD_NAME: "local" } });
  await new Promise<void>((resolve, reject) => {
    echo.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    echo.once("exit", (code) => reject(new Error(`echo server exited ${code}`)));
  });
  // A server that does not speak WebSocket: answers the upgrade request as a plain 404.
  plain = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end("no sockets here");
  });
  await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
  plainPort = (plain.address() as AddressInfo).port;
});

afterAll(async () => {
  echo?.kill();
  await new Promise<void>((resolve) => plain.close(() => resolve()));
});

/** A stream whose frames to the object are parsed back into relay messages. */
function harness() {
  const parser = new RelayParser();
  const messages: RelayMessage[] = [];
  let accepted = false;
  let wake = () => {};
  const stream = new AgentStream(
    9,
    (bytes) => {
      const frame = decodeFrame(bytes)!;
      if (frame.type !== FrameType.data) return;
      if (frame.payload.byteLength === 0) accepted = true;
      messages.push(...parser.push(frame.payload));
      wake();
    },
    () => {},
  );
  const waitFor = async (count: number) => {
    while (messages.length < count) await new Promise<void>((resolve) => (wake = resolve));
  };
  const send = (type: RelayType, payload: Uint8Array | string) =>
    stream.receive(FrameType.data, encodeRelayMessage(type, payload));
  return { stream, messages, waitFor, send, accepted: () => accepted };
}

const open = (over: Partial<WebSocketOpen> = {}): WebSocketOpen => ({
  kind: "websocket",
  scheme: "http",
  host: "127.0.0.1",
  port: echoPort,
  path: "/chat",
  headers: [["sec-websocket-protocol", "echo.v1, other"]],
  ...over,
});

describe("wsProxyHandler", () => {
  it("opens the pod's WebSocket, sends the handshake first and relays messages and the close both ways", async () => {
    const h = harness();
    const done = wsProxyHandler()(open(), h.stream);
    await h.waitFor(2);
    expect(h.accepted()).toBe(true);
    expect(h.messages[0].type).toBe(RelayType.handshake);
    expect(JSON.parse(relayText(h.messages[0].payload))).toEqual({ protocol: "echo.v1" });
    expect(relayText(h.messages[1].payload)).toBe("hello local");
    h.send(RelayType.text, "one");
    h.send(RelayType.binary, new Uint8Array([9, 8, 7]));
    await h.waitFor(4);
    expect([h.messages[2].type, relayText(h.messages[2].payload)]).toEqual([RelayType.text, "echo:one"]);
    expect([h.messages[3].type, [...h.messages[3].payload]]).toEqual([RelayType.binary, [9, 8, 7]]);
    h.send(RelayType.close, closePayload(4002, "bye"));
    await expect(done).resolves.toEqual({});
  }, 20_000);

  it("passes the pod's close code and reason on to the object", async () => {
    const h = harness();
    const done = wsProxyHandler()(open(), h.stream);
    await h.waitFor(2);
    h.send(RelayType.text, "close:4003");
    await expect(done).resolves.toEqual({});
    const close = h.messages.find((m) => m.type === RelayType.close);
    expect(readClose(close!.payload)).toEqual({ code: 4003, reason: "asked to" });
  }, 20_000);

  it("closes the pod's socket when the object ends the stream", async () => {
    const h = harness();
    const done = wsProxyHandler()(open({ headers: [] }), h.stream);
    await h.waitFor(2);
    expect(JSON.parse(relayText(h.messages[0].payload))).toEqual({});
    h.stream.end();
    await expect(done).resolves.toEqual({});
  }, 20_000);

  it.each([
    [
      "a refused connection is a 503 in Go's dial wording",
      () => ({ port: 1 }),
      503,
      /dial tcp 127\.0\.0\.1:1: connect: connection refused/,
    ],
    [
      "a pod that refuses the upgrade passes its status on",
      () => ({ port: plainPort }),
      404,
      /did not accept the WebSocket/,
    ],
  ])("%s, before accepting", async (_, over, code, message) => {
    const h = harness();
    const failed = await wsProxyHandler()(open(over()), h.stream).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StreamError);
    expect((failed as StreamError).code).toBe(code);
    expect((failed as StreamError).message).toMatch(message);
    expect(h.accepted()).toBe(false);
  });
});

describe("ws-proxy helpers", () => {
  it.each([
    [{ scheme: "http", host: "10.88.0.5", port: 8080, path: "/a?b=1" }, "http://10.88.0.5:8080/a?b=1"],
    [{ scheme: "https", host: "fd00::5", port: 443, path: "x" }, "https://[fd00::5]:443/x"],
  ] as const)("podUrl(%j) = %s", (over, want) => {
    expect(podUrl(open(over))).toBe(want);
  });

  it("an unexpected failure is a 502", () => {
    expect(handshakeError(open(), new Error("socket hang up")).code).toBe(502);
  });
});
