// Gateway API (gateway.networking.k8s.io) as the edge serves it, once the user has installed its CRDs: the
// store's resource ids of the kinds (a CRD's kinds are stored under the CRD's name), the built-in class, and
// what the edge supports per listener protocol. The kinds themselves come from the CRDs, not from here.
import type { KubeObject } from "../../../kube/types.ts";

export const GATEWAY_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_CLASSES = `gatewayclasses.${GATEWAY_GROUP}`;
export const GATEWAYS = `gateways.${GATEWAY_GROUP}`;
export const HTTP_ROUTES = `httproutes.${GATEWAY_GROUP}`;

/** The controllerName of the classes the edge serves. */
export const EDGE_GATEWAY_CONTROLLER = "flotilla.dev/gateway";

/** The class offered once the GatewayClass CRD is Established (made again at start when missing). */
export const EDGE_GATEWAY_CLASS: KubeObject = {
  apiVersion: `${GATEWAY_GROUP}/v1`,
  kind: "GatewayClass",
  metadata: { name: "flotilla" },
  spec: { controllerName: EDGE_GATEWAY_CONTROLLER, description: "The edge as the cluster's load balancer" },
};

export interface RouteKind {
  group: string;
  kind: string;
}

/** The route kinds a listener of each protocol takes; a protocol not listed is UnsupportedProtocol. */
export const LISTENER_ROUTE_KINDS: Readonly<Record<string, readonly RouteKind[]>> = {
  HTTP: [{ group: GATEWAY_GROUP, kind: "HTTPRoute" }],
  // The edge ends TLS with its own certificate (a listener's certificateRefs are not used).
  HTTPS: [{ group: GATEWAY_GROUP, kind: "HTTPRoute" }],
};

/** Path match types the edge serves; another is refused as UnsupportedValue. */
export const PATH_MATCH_TYPES: readonly string[] = ["Exact", "PathPrefix", "RegularExpression"];
/** Header and query param match types the edge serves. */
export const VALUE_MATCH_TYPES: readonly string[] = ["Exact", "RegularExpression"];
/** Filters the edge applies; a rule with another filter is not served (UnsupportedValue). */
export const ROUTE_FILTERS: readonly string[] = ["RequestHeaderModifier", "RequestRedirect"];
