import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeFrame,
  FrameType,
  type HttpOpen,
  type HttpResponseHead,
  INITIAL_WINDOW,
  windowPayload,
} from "../../kube/tunnel-protocol.ts";
import { dialError, headerObject, headerPairs, httpProxyHandler } from "./http-proxy.ts";
import { AgentStream, StreamError } from "./stream.ts";

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      res.setHeader("x-seen", `${req.method} ${req.url} ${req.headers["x-app"] ?? "-"} ${body}`);
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.end(req.url === "/big" ? "x".repeat(600_000) : `hello ${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function harness(grant = false) {
  const frames: { type: number; payload: Uint8Array }[] = [];
  const stream = new AgentStream(
    7,
    (bytes) => {
      const f = decodeFrame(bytes)!;
      frames.push({ type: f.type, payload: f.payload.slice() });
      // The object reads at once and gives the credit back.
      if (f.type === FrameType.data && grant)
        setImmediate(() => stream.receive(FrameType.window, windowPayload(f.payload.byteLength)));
    },
    () => {},
  );
  const output = () => Buffer.concat(frames.filter((f) => f.type === FrameType.data).map((f) => f.payload)).toString();
  return { stream, frames, output };
}

const open = (over: Partial<HttpOpen>): HttpOpen => ({
  kind: "http",
  scheme: "http",
  host: "127.0.0.1",
  port,
  method: "GET",
  path: "/",
  headers: [],
  bodyLength: 0,
  ...over,
});

describe("httpProxyHandler", () => {
  it("makes the request with the body from the stream and writes the head line and the body back", async () => {
    const { stream, output } = harness();
    const done = httpProxyHandler()(
      open({ method: "POST", path: "/form?a=1", headers: [["x-app", "yes"]], bodyLength: 5 }),
      stream,
    );
    stream.receive(FrameType.data, new TextEncoder().encode("12"));
    stream.receive(FrameType.data, new TextEncoder().encode("345"));
    await done;
    const [headLine, ...rest] = output().split("\n");
    const head = JSON.parse(headLine) as HttpResponseHead;
    expect(head.status).toBe(200);
    expect(head.headers).toContainEqual(["x-seen", "POST /form?a=1 yes 12345"]);
    expect(head.headers.filter(([n]) => n.toLowerCase() === "set-cookie")).toHaveLength(2);
    expect(rest.join("\n")).toBe("hello 12345");
  });

  it("streams a body larger than the window as credit comes back", async () => {
    const { stream, frames, output } = harness(true);
    await httpProxyHandler()(open({ path: "/big" }), stream);
    expect(output().split("\n")[1]).toBe("x".repeat(600_000));
    // Without credit coming back the handler stops at the window.
    const stalled = harness(false);
    let finished = false;
    void httpProxyHandler()(open({ path: "/big" }), stalled.stream).then(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(finished).toBe(false);
    expect(stalled.output().length).toBeLessThanOrEqual(INITIAL_WINDOW + 1000);
    stalled.stream.end();
    expect(frames.every((f) => f.payload.byteLength <= 32 * 1024 + 1)).toBe(true);
  });

  it("fails with 502 (not retried elsewhere) when the pod drops the connection after taking the request", async () => {
    const rude = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, "127.0.0.1", resolve));
    const { stream } = harness();
    const error = await httpProxyHandler()(open({ port: (rude.address() as AddressInfo).port }), stream).catch(
      (e) => e,
    );
    await new Promise<void>((resolve) => rude.close(() => resolve()));
    expect((error as StreamError).code).toBe(502);
    expect((error as Error).message).toBe("error trying to reach service: socket hang up");
  });

  it("refuses with 503 and Go's dial wording when nothing listens", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { stream, frames } = harness();
    const error = await httpProxyHandler()(open({ port: free }), stream).catch((e) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).code).toBe(503);
    expect((error as Error).message).toBe(
      `error trying to reach service: dial tcp 127.0.0.1:${free}: connect: connection refused`,
    );
    // Nothing was accepted: the object can still try another endpoint.
    expect(frames).toHaveLength(0);
  });
});

describe("helpers", () => {
  it("keeps repeated headers and sets the length", () => {
    expect(
      headerObject(
        [
          ["accept", "a"],
          ["x", "1"],
          ["x", "2"],
        ],
        3,
      ),
    ).toEqual({ accept: "a", x: ["1", "2"], "content-length": "3" });
    expect(headerObject([], 0)).toEqual({});
    expect(headerPairs(["A", "1", "B", "2"])).toEqual([
      ["A", "1"],
      ["B", "2"],
    ]);
    expect(dialError("10.0.0.1", 80, Object.assign(new Error("x"), { code: "EHOSTUNREACH" }))).toBe(
      "error trying to reach service: dial tcp 10.0.0.1:80: connect: no route to host",
    );
  });
});
