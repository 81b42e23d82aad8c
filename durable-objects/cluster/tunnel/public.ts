// The public URL of a published Service: `<server>/public/<clusterId>/<namespace>/<service>[:<port>]/<path…>`,
// served without a token, through the same services proxy as `services/<name>/proxy` (round robin over
// ready endpoints, refused ones skipped). A Service is published by the annotation `flotilla.dev/public:
// "true"`; anything else — a missing Service, an unpublished one, a malformed path — answers the same 404,
// so the public URL never tells which Services exist. Public traffic has its own per-plan rate and body
// size limits, and does not count as use of the cluster (anonymous traffic never keeps it from expiring).
import { discardBody, readCapped } from "../../../kube/http/read-capped.ts";
import { methodNotAllowed, pathNotFound, tooLarge } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { errorResponse } from "../../../kube/http/respond.ts";
import type { ClusterGuard } from "../limits/guard.ts";
import { guardOf } from "../limits/hooks.ts";
import type { TunnelHub } from "./hub.ts";
import { MAX_PROXY_BODY, RoundRobin, serviceProxy } from "./proxy.ts";

import { splitSchemeNamePort } from "./proxy-target.ts";

export const PUBLIC_ANNOTATION = "flotilla.dev/public";
const PUBLIC_PREFIX = "/public/";
export const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const isPublicPath = (pathname: string) => pathname.startsWith(PUBLIC_PREFIX);

export interface PublicPath {
  namespace: string;
  /** The service segment as given: `name`, `name:port` or `scheme:name:port`. */
  id: string;
  name: string;
  /** The port part of the id ("" for the Service's first port). */
  port: string;
  /** The path after the service segment ("/…"), or undefined when the URL ends at the service. */
  rest: string | undefined;
  /** `/public/<clusterId>/<namespace>/<service>`: what an app behind it sees as X-Forwarded-Prefix. */
  prefix: string;
}

/** The parts of a public URL's path, or undefined when it names no possible Service. */
export function parsePublicPath(pathname: string): PublicPath | undefined {
  const match = /^(\/public\/[^/]+\/([^/]+)\/([^/]+))(\/.*)?$/.exec(pathname);
  if (!match) return undefined;
  const [, prefix, namespace, id, rest] = match;
  const parsed = splitSchemeNamePort(id);
  if (!parsed || !DNS_LABEL.test(namespace) || !DNS_LABEL.test(parsed.name)) return undefined;
  return { namespace, id, name: parsed.name, port: parsed.port, rest, prefix };
}

/** The Service when it is published; the one 404 for every other case. */
export function publishedService(ctx: ApiContext, namespace: string, name: string): KubeObject {
  const service = ctx.store.get("services", namespace, name)?.object;
  if (service?.metadata.annotations?.[PUBLIC_ANNOTATION] !== "true") throw pathNotFound();
  return service;
}

/** Serves the object's `/public/…` requests (the Worker passes them on with their URL unchanged). */
export function publicIngress(ctx: ApiContext, hub: TunnelHub): (request: Request) => Promise<Response> {
  const balancer = new RoundRobin();
  return async (request) => {
    try {
      return await servePublic(ctx, hub, balancer, request);
    } catch (error) {
      await discardBody(request);
      return errorResponse(error);
    }
  };
}

async function servePublic(ctx: ApiContext, hub: TunnelHub, balancer: RoundRobin, request: Request) {
  const guard = guardOf(ctx);
  // The rate comes first: probing for Services costs as much as using one.
  guard?.admitPublicRequest(ctx.now());
  if (!METHODS.has(request.method)) throw methodNotAllowed(`method ${request.method} is not allowed here`);
  const url = new URL(request.url);
  const target = parsePublicPath(url.pathname);
  if (!target) throw pathNotFound();
  const service = publishedService(ctx, target.namespace, target.name);
  // As upstream's proxy root: relative links of the app's first page then resolve below the service.
  if (target.rest === undefined && (request.method === "GET" || request.method === "HEAD")) {
    await discardBody(request);
    const last = target.prefix.slice(target.prefix.lastIndexOf("/") + 1);
    return new Response(null, { status: 301, headers: { location: `${last}/${url.search}` } });
  }
  const body = await boundedBody(request, guard);
  const id = target.port === "" ? withFirstPort(target.id, service) : target.id;
  const inner = innerRequest(request, url, target, id, body);
  return serviceProxy(ctx, hub, balancer, target.namespace, id, inner);
}

/** `name` (or `scheme:name:`) means the Service's first port, by number (servicePortName finds its name). */
function withFirstPort(id: string, service: KubeObject): string {
  const first: { port?: number } | undefined = service.spec?.ports?.[0];
  if (first?.port === undefined) return id;
  return id.includes(":") ? `${id.replace(/:$/, "")}:${first.port}` : `${id}:${first.port}`;
}

/** The body whole (the proxy holds it anyway, to retry a refused endpoint), refused past the plan's limit. */
export async function boundedBody(request: Request, guard: ClusterGuard | undefined): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (Number.isFinite(declared)) guard?.admitPublicBody(declared);
  if (!request.body) return null;
  const limit = Math.min(guard?.plan.publicBodyBytes ?? MAX_PROXY_BODY, MAX_PROXY_BODY);
  // Read on past the plan's limit (up to the proxy's own): a body cancelled under a Worker that is still
  // streaming it breaks that Worker's pump ("Network connection lost") instead of ending in a clean 413.
  const body = await readCapped(request.body, MAX_PROXY_BODY);
  if (body && body.byteLength <= limit) return body;
  guard?.admitPublicBody(limit + 1);
  throw tooLarge(`the request body is larger than ${limit} bytes, the most a proxied request may carry`);
}

/**
 * The request as the services proxy takes it, with the headers a reverse proxy adds. The caller's own
 * Authorization belongs to the app and is passed on — unless it carries a Flotilla token (a cluster's
 * `fltc_` or an account's `flta_`), which must never reach a pod.
 */
export function innerRequest(
  request: Request,
  url: URL,
  target: Pick<PublicPath, "namespace" | "rest"> & { prefix?: string },
  id: string,
  body: Uint8Array | null,
): Request {
  const headers = new Headers(request.headers);
  const client = request.headers.get("cf-connecting-ip");
  const forwardedFor = request.headers.get("x-forwarded-for");
  if (client) headers.set("x-forwarded-for", forwardedFor ? `${forwardedFor}, ${client}` : client);
  headers.set("x-forwarded-proto", url.protocol.replace(/:$/, ""));
  headers.set("x-forwarded-host", url.host);
  if (target.prefix) headers.set("x-forwarded-prefix", target.prefix);
  else headers.delete("x-forwarded-prefix");
  const path = `/api/v1/namespaces/${target.namespace}/services/${id}/proxy${target.rest ?? "/"}${url.search}`;
  // A token of ours in the caller's Authorization is dropped where every proxied request's headers are (proxy-http.ts).
  return new Request(new URL(path, url), { method: request.method, headers, body, redirect: "manual" });
}
