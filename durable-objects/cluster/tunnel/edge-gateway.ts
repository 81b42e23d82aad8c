// The edge's Gateway API data path: requests at the cluster's ingress address (and CNAMEs to it) meet the
// HTTPRoutes attached to Gateways of the edge's classes before the Ingresses. Read from the store on every
// request, as Ingresses are, so a deleted route or Gateway stops answering at once. A rule's backend is
// picked by weight (smooth weighted round robin), then the Service's ready endpoints round robin as ever.
// An invalid backend (no such Service, another kind, another namespace) answers 500 as the spec says, for
// its share of the weight; a rule without backends or filters too; a redirect answers itself.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { EDGE_GATEWAY_CONTROLLER, GATEWAY_CLASSES, GATEWAYS, HTTP_ROUTES } from "../registry/gateway-api.ts";
import { attach, type ParentRef, refOf, unsupportedValue } from "./gateway-attach.ts";
import {
  type AttachedRoute,
  type HeaderFilter,
  matchHTTPRoute,
  redirectLocation,
  type RouteFilter,
  type WeightedPicker,
} from "./httproute-match.ts";

export type GatewayAnswer =
  | { kind: "backend"; namespace: string; id: string; headers: HeaderFilter[] }
  | { kind: "redirect"; status: number; location: string }
  | { kind: "invalid" };

/** Whether a Gateway is the edge's to serve: its class's controllerName is ours. */
export function isEdgeGateway(ctx: ApiContext, gateway: KubeObject): boolean {
  if (gateway.metadata.deletionTimestamp) return false;
  const cls = ctx.store.get(GATEWAY_CLASSES, undefined, gateway.spec?.gatewayClassName ?? "")?.object;
  return cls?.spec?.controllerName === EDGE_GATEWAY_CONTROLLER && !cls.metadata.deletionTimestamp;
}

const labelsOf = (ctx: ApiContext) => (ns: string) =>
  ctx.store.get("namespaces", undefined, ns)?.object.metadata.labels;

/** Every HTTPRoute attached to an edge Gateway's listener, with the hostnames it answers there. */
export function attachedRoutes(ctx: ApiContext): AttachedRoute[] {
  const routes = ctx.store.list(HTTP_ROUTES);
  if (routes.length === 0) return [];
  const out: AttachedRoute[] = [];
  for (const { object: route } of routes) {
    if (route.metadata.deletionTimestamp || unsupportedValue(route)) continue;
    for (const raw of (route.spec?.parentRefs ?? []) as ParentRef[]) {
      const ref = refOf(raw, route.metadata.namespace!);
      if (ref.group !== "gateway.networking.k8s.io" || ref.kind !== "Gateway") continue;
      const gateway = ctx.store.get(GATEWAYS, ref.namespace, ref.name)?.object;
      if (!gateway || !isEdgeGateway(ctx, gateway)) continue;
      for (const { hostnames } of attach(route, gateway, ref, labelsOf(ctx)).listeners) out.push({ route, hostnames });
    }
  }
  return out;
}

const filtersOf = (filters: RouteFilter[] | undefined, type: string) => (filters ?? []).filter((f) => f.type === type);

/** What the Gateway API says for this request; undefined when no attached route matches it. */
export function routeByGateway(
  ctx: ApiContext,
  picker: WeightedPicker,
  request: Request,
  url: URL,
  host: string,
): GatewayAnswer | undefined {
  const routes = attachedRoutes(ctx);
  if (routes.length === 0) return undefined;
  const req = { host, method: request.method, path: url.pathname, headers: request.headers, query: url.searchParams };
  const matched = matchHTTPRoute(routes, req);
  if (!matched) return undefined;
  const { route, rule, ruleIndex, match } = matched;
  const redirect = filtersOf(rule.filters, "RequestRedirect")[0]?.requestRedirect;
  if (redirect)
    return {
      kind: "redirect",
      status: redirect.statusCode ?? 302,
      location: redirectLocation(redirect, url, host, match),
    };
  const backends = rule.backendRefs ?? [];
  const chosen = picker.pick(
    `${route.metadata.uid}/${ruleIndex}`,
    backends.map((b) => b.weight ?? 1),
  );
  if (chosen === undefined) return { kind: "invalid" };
  const backend = backends[chosen];
  const namespace = route.metadata.namespace!;
  const isService = (backend.group ?? "") === "" && (backend.kind ?? "Service") === "Service";
  if (!isService || (backend.namespace ?? namespace) !== namespace || backend.port === undefined)
    return { kind: "invalid" };
  if (!ctx.store.get("services", namespace, backend.name)) return { kind: "invalid" };
  const headers = [
    ...filtersOf(rule.filters, "RequestHeaderModifier"),
    ...filtersOf(backend.filters, "RequestHeaderModifier"),
  ]
    .map((f) => f.requestHeaderModifier)
    .filter((f): f is HeaderFilter => f !== undefined);
  return { kind: "backend", namespace, id: `${backend.name}:${backend.port}`, headers };
}
