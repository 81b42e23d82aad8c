// A keep-alive HTTPS client for the benchmark: one Agent shared by all requests, bodies read
// to the end, elapsed time measured from request start to the last body byte.
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";

export interface BenchResponse {
  status: number;
  body: string;
  /** Request start to the last byte of the body, ms. */
  elapsedMs: number;
}

export interface BenchClient {
  request(
    method: string,
    path: string,
    opts?: { body?: string; headers?: Record<string, string> },
  ): Promise<BenchResponse>;
  /** A streaming GET (watch): the raw response, for the caller to read. */
  stream(path: string): Promise<http.IncomingMessage>;
  close(): void;
}

export interface ClientOptions {
  /** The cluster's API root: https://127.0.0.1:<port>/clusters/<id> (or http:// for the direct entry). */
  baseUrl: string;
  token: string;
  caPem: string;
  maxSockets: number;
}

export function createClient(opts: ClientOptions): BenchClient {
  const base = new URL(opts.baseUrl);
  const plain = base.protocol === "http:";
  const agent = plain
    ? new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets })
    : new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets, ca: opts.caPem });
  const send = (options: https.RequestOptions, cb: (res: http.IncomingMessage) => void) =>
    plain ? http.request(options, cb) : https.request(options, cb);
  const auth = { authorization: `Bearer ${opts.token}` };
  const target = (path: string) => ({
    hostname: base.hostname,
    port: base.port,
    path: base.pathname.replace(/\/+$/, "") + path,
    agent,
  });

  const request: BenchClient["request"] = (method, path, { body, headers } = {}) =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = send({ ...target(path), method, headers: { ...auth, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            elapsedMs: performance.now() - started,
          }),
        );
      });
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on("error", reject);
      req.end(body);
    });

  const stream: BenchClient["stream"] = (path) =>
    new Promise((resolve, reject) => {
      // Its own connection: a watch must not hold one of the load's sockets.
      const req = send({ ...target(path), agent: false, ca: opts.caPem, method: "GET", headers: auth }, (res) =>
        res.statusCode === 200 ? resolve(res) : reject(new Error(`watch answered HTTP ${res.statusCode}`)),
      );
      req.on("error", reject);
      req.end();
    });

  return { request, stream, close: () => agent.destroy() };
}

/** Throws with the start of the body unless the status is the expected one. */
export function expectStatus(res: BenchResponse, want: number, what: string): BenchResponse {
  if (res.status !== want) throw new Error(`${what}: HTTP ${res.status} (want ${want}): ${res.body.slice(0, 300)}`);
  return res;
}
