// The agent's end of pods/proxy and services/proxy: one HTTP request from this host to a pod's IP and
// port (bridge networks are reachable from the host), the request body taken from the stream, and the
// response written back as a JSON head line and the body, within the object's credit. Connections to
// pods are kept alive between requests. The stream is accepted only once the pod answered, so a refused
// connection reaches the object as a 503 before anything was sent, and it can try another endpoint.
import http from "node:http";
import https from "node:https";
import type { HttpOpen, HttpResponseHead, OpenRequest } from "../../kube/tunnel-protocol.ts";
import type { StreamHandler } from "./client.ts";
import { type AgentStream, StreamError } from "./stream.ts";
import { goDialError } from "./dial-error.ts";

/** How long a pod may take to accept a connection (the response head may take longer). */
const CONNECT_TIMEOUT_MS = 10_000;

const keepAlive = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** Upstream's "error trying to reach service" message around Go's dial wording. */
export function dialError(host: string, port: number, error: NodeJS.ErrnoException): string {
  return `error trying to reach service: ${goDialError(host, port, error)}`;
}

/** Header pairs as node:http takes them: a repeated name becomes an array (sent as separate lines). */
export function headerObject(pairs: [string, string][], bodyLength: number): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const had = out[name];
    out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  if (bodyLength > 0) out["content-length"] = String(bodyLength);
  return out;
}

/** Raw header lines in order, as [name, value] pairs. */
export function headerPairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

export function httpProxyHandler(): StreamHandler {
  return async (open: OpenRequest, stream: AgentStream) => {
    const req = open as HttpOpen;
    const response = await request(req, stream);
    const head: HttpResponseHead = {
      status: response.statusCode ?? 502,
      statusText: response.statusMessage ?? "",
      headers: headerPairs(response.rawHeaders),
    };
    stream.accept();
    if (!(await stream.write(Buffer.from(`${JSON.stringify(head)}\n`)))) {
      response.destroy();
      return {};
    }
    for await (const chunk of response) {
      if (!(await stream.write(chunk as Buffer))) {
        response.destroy();
        break;
      }
    }
    return {};
  };
}

/** Sends the request with the body from the stream; resolves at the response head. */
function request(req: HttpOpen, stream: AgentStream): Promise<http.IncomingMessage> {
  const secure = req.scheme === "https";
  return new Promise((resolve, reject) => {
    const outgoing = (secure ? https : http).request({
      host: req.host,
      port: req.port,
      method: req.method,
      path: req.path,
      headers: headerObject(req.headers, req.bodyLength),
      agent: secure ? keepAlive.https : keepAlive.http,
      // Upstream's proxy does not verify a pod's certificate either (pods have no names to verify).
      rejectUnauthorized: false,
      timeout: CONNECT_TIMEOUT_MS,
    });
    // Only a failure to connect is a 503 (the object then tries another endpoint); once connected the
    // request may have had its effect, so a later failure is a 502 that is not retried. The wait for the
    // head is bounded by the object's accept timeout, not here.
    let connected = false;
    outgoing.on("socket", (socket) => {
      const up = () => {
        connected = true;
        outgoing.setTimeout(0);
      };
      if (socket.connecting) socket.once(secure ? "secureConnect" : "connect", up);
      else up();
    });
    outgoing.on("timeout", () => outgoing.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    outgoing.on("error", (error) => {
      const message = dialError(req.host, req.port, error);
      reject(
        connected ? new StreamError(502, message.replace(/: dial tcp [^ ]+: /, ": ")) : new StreamError(503, message),
      );
    });
    let complete = false;
    outgoing.on("response", (response) => {
      response.once("end", () => (complete = true));
      resolve(response);
    });
    // The stream ends after every response too: only an unfinished one is cut (the socket stays pooled).
    stream.signal.addEventListener("abort", () => complete || outgoing.destroy(), { once: true });
    sendBody(req.bodyLength, outgoing, stream);
  });
}

function sendBody(length: number, outgoing: http.ClientRequest, stream: AgentStream): void {
  if (length === 0) {
    outgoing.end();
    return;
  }
  let received = 0;
  stream.onData = (bytes) => {
    received += bytes.byteLength;
    outgoing.write(bytes, () => stream.consumed(bytes.byteLength));
    if (received >= length) outgoing.end();
  };
}
