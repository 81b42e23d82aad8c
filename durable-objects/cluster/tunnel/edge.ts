// The edge as the cluster's load balancer: requests the Worker sent here for one of the cluster's host names
// (kube/edge-hosts.ts) — a LoadBalancer or published Service at `<service>-<namespace>-<cluster>.<domain>`,
// or the cluster's Ingresses at `<cluster>.<domain>` (and at any host whose CNAME points there) — served at
// `/` through the services proxy (round robin over ready endpoints on any node, WebSockets included) with
// X-Forwarded-For/-Proto/-Host. No token: the plan's public rate and body limits apply, as to public URLs.
// A Service that is missing or has no ready endpoint answers a short 503 page, a request nothing routes a
// short 404 page; nothing of the edge's internals shows. HTTPRoutes of the edge's Gateways come before the
// Ingresses at the ingress address (edge-gateway.ts); their invalid backends answer 500, as the spec says.
import { bareHost, EDGE_HEADER, parseEdgeHost } from "../../../kube/edge-hosts.ts";
import { discardBody } from "../../../kube/http/read-capped.ts";
import { methodNotAllowed, StatusError } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { errorResponse } from "../../../kube/http/respond.ts";
import { guardOf } from "../limits/hooks.ts";
import { edgeIngresses, edgeServicePort, serviceOfHostPart } from "./edge-served.ts";
import type { TunnelHub } from "./hub.ts";
import { routeByGateway } from "./edge-gateway.ts";
import { type HeaderFilter, modifyHeaders, WeightedPicker } from "./httproute-match.ts";
import { type IngressBackendRef, matchIngress } from "./ingress-match.ts";
import { RoundRobin, serviceProxy } from "./proxy.ts";
import { boundedBody, innerRequest, METHODS } from "./public.ts";

export const isEdgeRequest = (request: Request) => request.headers.has(EDGE_HEADER);

interface Route {
  namespace: string;
  /** The services proxy's id: `[scheme:]name:port`. */
  id: string;
  /** An HTTPRoute's RequestHeaderModifier filters, in order. */
  headers?: HeaderFilter[];
}

const page = (status: number, title: string, text: string) =>
  new Response(`<!doctype html><title>${status} ${title}</title><h1>${status} ${title}</h1><p>${text}</p>\n`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });

const notRouted = () => page(404, "Not Found", "Nothing is served at this address.");
const unavailable = () => page(503, "Service Unavailable", "No backend is ready to answer this request.");
const invalidBackend = () => page(500, "Internal Server Error", "The route's backend is not valid.");

/** A host name's Service at its edge port; https to a port that says so. */
function serviceRoute(service: KubeObject): Route | undefined {
  const port = edgeServicePort(service);
  if (port?.port === undefined) return undefined;
  const https = port.appProtocol === "https" || port.name === "https";
  return {
    namespace: service.metadata.namespace!,
    id: `${https ? "https:" : ""}${service.metadata.name}:${port.port}`,
  };
}

/** An Ingress backend as a route; a resource backend is routed to nothing here (null: the 503 page). */
function backendRoute(ingress: KubeObject, backend: IngressBackendRef): Route | null {
  const service = backend.service;
  if (!service?.name) return null;
  const port = service.port?.name || String(service.port?.number ?? "");
  return { namespace: ingress.metadata.namespace!, id: `${service.name}:${port}` };
}

export function edgeIngress(
  ctx: ApiContext,
  hub: TunnelHub,
  clusterId: string,
  domain: string | undefined,
): (request: Request) => Promise<Response> {
  const balancer = new RoundRobin();
  const picker = new WeightedPicker();
  return async (request) => {
    try {
      return await serveEdge(ctx, hub, { balancer, picker }, clusterId, domain, request);
    } catch (error) {
      await discardBody(request);
      return errorResponse(error);
    }
  };
}

async function serveEdge(
  ctx: ApiContext,
  hub: TunnelHub,
  { balancer, picker }: { balancer: RoundRobin; picker: WeightedPicker },
  clusterId: string,
  domain: string | undefined,
  request: Request,
): Promise<Response> {
  const guard = guardOf(ctx);
  guard?.admitPublicRequest(ctx.now());
  if (!METHODS.has(request.method)) throw methodNotAllowed(`method ${request.method} is not allowed here`);
  const url = new URL(request.url);
  const viaGateway =
    request.headers.get(EDGE_HEADER) === "service"
      ? undefined
      : routeByGateway(ctx, picker, request, url, bareHost(url.host));
  if (viaGateway?.kind === "redirect") {
    await discardBody(request);
    return new Response(null, { status: viaGateway.status, headers: { location: viaGateway.location } });
  }
  if (viaGateway?.kind === "invalid") return discardBody(request).then(invalidBackend);
  const route = viaGateway ?? findRoute(ctx, request, url, clusterId, domain);
  if (route === undefined) return discardBody(request).then(notRouted);
  if (route === null) return discardBody(request).then(unavailable);
  const { namespace, id } = route;
  const service = ctx.store.get("services", namespace, id.split(":").at(-2) ?? "")?.object;
  if (!service) return discardBody(request).then(unavailable);
  const body = await boundedBody(request, guard);
  const inner = innerRequest(request, url, { namespace, rest: url.pathname }, id, body);
  for (const filter of route.headers ?? []) modifyHeaders(inner.headers, filter);
  try {
    return await serviceProxy(ctx, hub, balancer, namespace, id, inner);
  } catch (error) {
    // No endpoints, none reachable, no such port: the app is not there, whatever the reason.
    if (error instanceof StatusError && (error.code === 503 || error.code === 404)) return unavailable();
    throw error;
  }
}

function findRoute(
  ctx: ApiContext,
  request: Request,
  url: URL,
  clusterId: string,
  domain: string | undefined,
): Route | null | undefined {
  const host = bareHost(url.host);
  const named = parseEdgeHost(host, domain);
  if (request.headers.get(EDGE_HEADER) === "service") {
    if (named?.kind !== "service" || named.clusterId !== clusterId) return undefined;
    const service = serviceOfHostPart(ctx, named.service);
    return service ? (serviceRoute(service) ?? null) : undefined;
  }
  const matched = matchIngress(edgeIngresses(ctx), host, url.pathname);
  return matched ? backendRoute(matched.ingress, matched.backend) : undefined;
}
