// The HTTP side of proxying through the tunnel: which of the client's headers go to the pod (no hop-by-hop
// headers, never one of our tokens), and the pod's answer read back from a stream (one JSON head line, then
// the body). The API authenticates only by a bearer token of ours, so the proxy subresources' Authorization
// is always dropped, as the apiserver drops it once it has authenticated a request; a public URL's caller
// may send one of their own, for the app.
import { HOP_BY_HOP_HEADERS } from "../../../kube/hop-by-hop.ts";
import type { HttpOpen, HttpResponseHead } from "../../../kube/tunnel-protocol.ts";
import type { ProxyScheme, ProxyTarget } from "./proxy-target.ts";
import type { StreamReader } from "./reader.ts";

const FLOTILLA_TOKEN = /flt[ac]_/;

/** Whether an Authorization value holds one of our tokens, as a bearer token or inside Basic credentials. */
export function carriesFlotillaToken(authorization: string): boolean {
  if (FLOTILLA_TOKEN.test(authorization)) return true;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!basic) return false;
  try {
    return FLOTILLA_TOKEN.test(atob(basic[1]));
  } catch {
    return false;
  }
}

/** Headers never passed to the pod: hop-by-hop ones, our tokens, the length (the agent sets it), the edge's own. */
function dropped(name: string, value: string, connectionListed: Set<string>): boolean {
  return (
    HOP_BY_HOP_HEADERS.has(name) ||
    connectionListed.has(name) ||
    (name === "authorization" && carriesFlotillaToken(value)) ||
    name === "host" ||
    name === "content-length" ||
    name.startsWith("cf-")
  );
}

export function forwardedHeaders(headers: Headers): [string, string][] {
  const listed = new Set(
    (headers.get("connection") ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!dropped(name, value, listed)) out.push([name, value]);
  });
  return out;
}

export function httpOpen(
  target: ProxyTarget,
  scheme: ProxyScheme,
  request: Request,
  path: string,
  bodyLength: number,
): HttpOpen {
  return {
    kind: "http",
    scheme,
    host: target.ip,
    port: target.port,
    method: request.method,
    path,
    headers: forwardedHeaders(request.headers),
    bodyLength,
  };
}

const NULL_BODY = new Set([101, 204, 205, 304]);
const RESPONSE_DROPPED = new Set([...HOP_BY_HOP_HEADERS, "content-length"]);

/** The pod's response: its status and headers, and a body that streams the rest of the tunnel stream. */
export async function readHttpResponse(reader: StreamReader, method: string): Promise<Response> {
  const { head, rest } = await readHead(reader);
  const headers = new Headers();
  for (const [name, value] of head.headers) if (!RESPONSE_DROPPED.has(name.toLowerCase())) headers.append(name, value);
  if (NULL_BODY.has(head.status) || method === "HEAD") {
    reader.stream.close();
    return new Response(null, { status: head.status, statusText: head.statusText, headers });
  }
  const encoded = (headers.get("content-encoding") ?? "identity") !== "identity";
  // Without an encoding the runtime might compress (and so buffer) a streamed body; say identity.
  if (!encoded) headers.set("content-encoding", "identity");
  return new Response(bodyStream(reader, rest), {
    status: head.status,
    statusText: head.statusText,
    headers,
    // An encoded body is passed on as it came, not encoded a second time.
    encodeBody: encoded ? "manual" : "automatic",
  });
}

const decoder = new TextDecoder();

async function readHead(reader: StreamReader): Promise<{ head: HttpResponseHead; rest: Uint8Array }> {
  let buffered = new Uint8Array(0);
  for (;;) {
    const newline = buffered.indexOf(10);
    if (newline >= 0) {
      const head = JSON.parse(decoder.decode(buffered.subarray(0, newline))) as HttpResponseHead;
      return { head, rest: buffered.subarray(newline + 1) };
    }
    const next = await reader.next();
    if (!(next instanceof Uint8Array)) {
      const why = "error" in next ? next.error.message : "the stream ended before the response head";
      throw new Error(why);
    }
    const joined = new Uint8Array(buffered.byteLength + next.byteLength);
    joined.set(buffered);
    joined.set(next, buffered.byteLength);
    buffered = joined;
  }
}

function bodyStream(reader: StreamReader, first: Uint8Array): ReadableStream<Uint8Array> {
  let pending: Uint8Array | undefined = first.byteLength > 0 ? first : undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (pending) {
          controller.enqueue(pending);
          pending = undefined;
          return;
        }
        const next = await reader.next();
        if (next instanceof Uint8Array) controller.enqueue(next);
        else if ("error" in next) controller.error(new Error(next.error.message));
        else controller.close();
      },
      cancel() {
        reader.stream.close();
      },
    },
    { highWaterMark: 0 },
  );
}
