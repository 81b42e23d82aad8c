// pods/proxy and services/proxy: an HTTP request forwarded through the tunnel of the pod's node, the agent
// making it from its host to the pod's IP. A service's request goes round robin over its ready endpoints,
// and an endpoint that cannot be reached (connection refused, node not connected) is skipped for the next.
import { readCapped } from "../../../kube/http/read-capped.ts";
import { notFound, StatusError, tooLarge } from "../../../kube/status.ts";
import type { ApiContext } from "../context.ts";
import type { TunnelHub } from "./hub.ts";
import { openFirstReachable } from "./open.ts";
import type { StreamReader } from "./reader.ts";
import { httpOpen, readHttpResponse } from "./proxy-http.ts";
import { forwardWebSocket, isWebSocketUpgrade } from "./proxy-websocket.ts";
import {
  type ProxyScheme,
  type ProxyTarget,
  parseProxyId,
  podTarget,
  serviceTargets,
  servicePortName,
} from "./proxy-target.ts";

/** Request bodies are held whole (so a refused endpoint can be retried with the same body). */
export const MAX_PROXY_BODY = 8 * 1024 * 1024;

/** The path after ".../{name}/proxy", or undefined for the proxy root without a slash. */
export function proxyPath(url: URL): string | undefined {
  const match = /^\/api\/v1\/namespaces\/[^/]+\/(?:pods|services)\/[^/]+\/proxy(\/.*)?$/.exec(url.pathname);
  const rest = match?.[1];
  return rest === undefined ? undefined : rest + url.search;
}

/** A GET of the root without its slash is redirected to it, as upstream does (relative pages then resolve). */
function rootRedirect(url: URL): Response {
  return new Response(null, { status: 301, headers: { location: `proxy/${url.search}` } });
}

/** Round robin per service: each request starts one further along the service's endpoints. */
export class RoundRobin {
  #next = new Map<string, number>();

  start(key: string, count: number): number {
    const at = this.#next.get(key) ?? 0;
    this.#next.set(key, (at + 1) % count);
    return at % count;
  }
}

export async function podProxy(ctx: ApiContext, hub: TunnelHub, ns: string, id: string, request: Request) {
  const url = new URL(request.url);
  const path = proxyPath(url);
  if (path === undefined && isRead(request.method)) return rootRedirect(url);
  const { scheme, name, port } = parseProxyId(id, "pod");
  const pod = ctx.store.get("pods", ns, name)?.object;
  if (!pod) throw notFound("", "pods", name);
  const target = podTarget(pod, port);
  return forward(hub, [target], scheme, request, path ?? "/");
}

export async function serviceProxy(
  ctx: ApiContext,
  hub: TunnelHub,
  balancer: RoundRobin,
  ns: string,
  id: string,
  request: Request,
) {
  const url = new URL(request.url);
  const path = proxyPath(url);
  if (path === undefined && isRead(request.method)) return rootRedirect(url);
  const { scheme, name, port } = parseProxyId(id, "service");
  const service = ctx.store.get("services", ns, name)?.object;
  if (!service) throw notFound("", "services", name);
  const portName = servicePortName(service, port);
  const targets = serviceTargets(id, ctx.store.get("endpoints", ns, name)?.object, portName);
  // One turn per service port however it was named ("web:80" and "web:http" share it).
  const start = balancer.start(`${ns}/${name}/${portName}`, targets.length);
  const ordered = [...targets.slice(start), ...targets.slice(0, start)];
  return forward(hub, ordered, scheme, request, path ?? "/");
}

const isRead = (method: string) => method === "GET" || method === "HEAD";

/**
 * Tries the targets in order; one that cannot be reached passes the request to the next. Once a pod has
 * answered (the agent accepts only then), nothing is retried: the request may have had its effect.
 */
async function forward(
  hub: TunnelHub,
  targets: ProxyTarget[],
  scheme: ProxyScheme,
  request: Request,
  path: string,
): Promise<Response> {
  if (isWebSocketUpgrade(request)) return forwardWebSocket(hub, targets, scheme, request, path);
  const body = await requestBody(request);
  const send = (reader: StreamReader) => {
    if (body.byteLength > 0) void reader.stream.write(body);
  };
  const open = (target: ProxyTarget) => httpOpen(target, scheme, request, path, body.byteLength);
  const reader = await openFirstReachable(hub, targets, open, send).catch((error) => {
    // A pod that took the request and then failed (the agent's 502) may already have acted on it; upstream
    // answers 503 for that too. A slow one (504) is not retried either.
    if (error instanceof StatusError && error.code === 502) throw unreachableAfterConnect(error.message);
    throw error;
  });
  return readHttpResponse(reader, request.method).catch((error: Error) => {
    reader.stream.close();
    throw unreachable(error.message);
  });
}

const unreachable = (why: string) =>
  new StatusError(503, "ServiceUnavailable", `error trying to reach service: ${why}`);

const unreachableAfterConnect = (message: string) => new StatusError(503, "ServiceUnavailable", message);

async function requestBody(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const body = await readCapped(request.body, MAX_PROXY_BODY);
  if (!body)
    throw tooLarge(`the request body is larger than ${MAX_PROXY_BODY} bytes, the most a proxied request may carry`);
  return body;
}
