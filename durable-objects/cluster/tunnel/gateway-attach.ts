// Which HTTPRoutes attach to which listeners of the edge's Gateways, as the Gateway API spec says
// (apis/v1 gateway_types.go, httproute_types.go): a listener of a protocol the edge serves, not conflicted;
// a parentRef naming the Gateway (and its listener by sectionName and port, when given); the listener's
// allowedRoutes (namespaces Same/All/Selector, kinds); and hostnames that intersect (a listener's
// `*.example.com` and a route's `foo.example.com` give `foo.example.com`). One answer for the controller,
// which writes it into status, and for the edge, which serves from it — so what status says is served.
import { matchesLabels, requirementsFromLabelSelector } from "../../../kube/labels.ts";
import type { KubeObject } from "../../../kube/types.ts";
import {
  GATEWAY_GROUP,
  LISTENER_ROUTE_KINDS,
  PATH_MATCH_TYPES,
  ROUTE_FILTERS,
  type RouteKind,
  VALUE_MATCH_TYPES,
} from "../registry/gateway-api.ts";

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  allowedRoutes?: {
    namespaces?: { from?: string; selector?: Record<string, unknown> };
    kinds?: { group?: string; kind: string }[];
  };
}

export interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

/** Why a listener is not served: a condition's type, reason and message; undefined when it is. */
export interface ListenerProblem {
  type: "Accepted" | "Conflicted" | "ResolvedRefs";
  reason: string;
  message: string;
}

/** The route kinds a listener takes: its protocol's, narrowed by allowedRoutes.kinds. */
export function supportedKinds(listener: Listener): RouteKind[] {
  const served = LISTENER_ROUTE_KINDS[listener.protocol] ?? [];
  const asked = listener.allowedRoutes?.kinds;
  if (!asked || asked.length === 0) return [...served];
  return served.filter((s) => asked.some((k) => (k.group ?? GATEWAY_GROUP) === s.group && k.kind === s.kind));
}

/** The listener's trouble, if any (upstream's reasons); conflicts are between listeners of one port. */
export function listenerProblem(listener: Listener, all: Listener[]): ListenerProblem | undefined {
  if (!LISTENER_ROUTE_KINDS[listener.protocol])
    return {
      type: "Accepted",
      reason: "UnsupportedProtocol",
      message: `protocol ${listener.protocol} is not served at the edge (HTTP and HTTPS are)`,
    };
  for (const other of all) {
    if (other === listener || other.port !== listener.port) continue;
    if (other.protocol !== listener.protocol)
      return {
        type: "Conflicted",
        reason: "ProtocolConflict",
        message: `port ${listener.port} is also ${other.protocol} in listener ${other.name}`,
      };
    if ((other.hostname ?? "") === (listener.hostname ?? ""))
      return {
        type: "Conflicted",
        reason: "HostnameConflict",
        message: `listener ${other.name} has the same port and hostname`,
      };
  }
  const asked = listener.allowedRoutes?.kinds ?? [];
  if (asked.length > 0 && supportedKinds(listener).length < asked.length)
    return { type: "ResolvedRefs", reason: "InvalidRouteKinds", message: "only HTTPRoute is supported" };
  return undefined;
}

const isWildcard = (h: string) => h.startsWith("*.");

/** Whether `host` (precise or wildcard) falls under the wildcard `pattern` (`*.example.com`). */
function underWildcard(pattern: string, host: string): boolean {
  const suffix = pattern.slice(1); // ".example.com"
  const bare = isWildcard(host) ? host.slice(1) : host;
  return bare.endsWith(suffix) && bare.length > suffix.length;
}

/** The hostnames a route answers on a listener; [] when they do not intersect; undefined for any host. */
export function effectiveHostnames(listenerHost: string | undefined, routeHosts: string[]): string[] | undefined {
  if (!listenerHost) return routeHosts.length > 0 ? routeHosts : undefined;
  if (routeHosts.length === 0) return [listenerHost];
  const out: string[] = [];
  for (const h of routeHosts) {
    if (h === listenerHost) out.push(h);
    else if (isWildcard(listenerHost) && underWildcard(listenerHost, h)) out.push(h);
    else if (isWildcard(h) && underWildcard(h, listenerHost)) out.push(listenerHost);
  }
  return out;
}

/** A route's parentRef with upstream's defaults. */
export function refOf(ref: ParentRef, routeNamespace: string): Required<Pick<ParentRef, "group" | "kind">> & ParentRef {
  return {
    ...ref,
    group: ref.group ?? GATEWAY_GROUP,
    kind: ref.kind ?? "Gateway",
    namespace: ref.namespace ?? routeNamespace,
  };
}

export interface Attachment {
  /** The listeners the route attached to, with the hostnames it answers there (undefined: any). */
  listeners: { listener: Listener; hostnames: string[] | undefined }[];
  /** Why it attached to none (an Accepted=False reason), when it did not. */
  reason?: "NoMatchingParent" | "NotAllowedByListeners" | "NoMatchingListenerHostname";
  message?: string;
}

/** Where one parentRef of a route attaches on `gateway` (the Gateway the ref names, of the edge's class). */
export function attach(
  route: KubeObject,
  gateway: KubeObject,
  ref: ParentRef,
  namespaceLabels: (namespace: string) => Record<string, string> | undefined,
): Attachment {
  const all: Listener[] = gateway.spec?.listeners ?? [];
  const named = all.filter(
    (l) => (!ref.sectionName || l.name === ref.sectionName) && (!ref.port || l.port === ref.port),
  );
  if (named.length === 0)
    return { listeners: [], reason: "NoMatchingParent", message: "no listener matches the parentRef" };
  const kind = route.kind ?? "HTTPRoute";
  const allowed = named.filter(
    (l) =>
      !listenerProblem(l, all) &&
      supportedKinds(l).some((k) => k.kind === kind) &&
      namespaceAllowed(l, gateway.metadata.namespace!, route.metadata.namespace!, namespaceLabels),
  );
  if (allowed.length === 0)
    return { listeners: [], reason: "NotAllowedByListeners", message: "no listener allows this route" };
  const routeHosts: string[] = route.spec?.hostnames ?? [];
  const listeners = allowed
    .map((listener) => ({ listener, hostnames: effectiveHostnames(listener.hostname, routeHosts) }))
    .filter((a) => a.hostnames === undefined || a.hostnames.length > 0);
  if (listeners.length === 0)
    return {
      listeners: [],
      reason: "NoMatchingListenerHostname",
      message: "no listener hostname intersects the route's hostnames",
    };
  return { listeners };
}

function namespaceAllowed(
  listener: Listener,
  gatewayNamespace: string,
  routeNamespace: string,
  namespaceLabels: (namespace: string) => Record<string, string> | undefined,
): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
  if (from === "All") return true;
  if (from === "Same") return gatewayNamespace === routeNamespace;
  if (from !== "Selector") return false;
  const selector = listener.allowedRoutes?.namespaces?.selector;
  try {
    const reqs = requirementsFromLabelSelector(selector as Parameters<typeof requirementsFromLabelSelector>[0]);
    return matchesLabels(reqs, namespaceLabels(routeNamespace));
  } catch {
    return false; // a malformed selector selects nothing
  }
}

/** A value of the route the edge cannot serve (Accepted=False, UnsupportedValue), if any. */
export function unsupportedValue(route: KubeObject): string | undefined {
  for (const rule of route.spec?.rules ?? []) {
    for (const f of [
      ...(rule.filters ?? []),
      ...(rule.backendRefs ?? []).flatMap((b: { filters?: [] }) => b.filters ?? []),
    ])
      if (!ROUTE_FILTERS.includes(f.type)) return `filter ${f.type} is not supported at the edge`;
    for (const m of rule.matches ?? []) {
      if (m.path?.type && !PATH_MATCH_TYPES.includes(m.path.type))
        return `path match type ${m.path.type} is not supported`;
      for (const v of [...(m.headers ?? []), ...(m.queryParams ?? [])])
        if (v.type && !VALUE_MATCH_TYPES.includes(v.type)) return `match type ${v.type} is not supported`;
    }
  }
  return undefined;
}
