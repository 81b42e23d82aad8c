// Route attachment as the Gateway API spec words it (apis/v1: HTTPRouteSpec.Hostnames' intersection examples,
// ParentReference.sectionName/port, AllowedRoutes, the listener condition reasons).
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { attach, effectiveHostnames, type Listener, listenerProblem, unsupportedValue } from "./gateway-attach.ts";

const gateway = (listeners: Listener[], ns = "default"): KubeObject => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "gw", namespace: ns },
  spec: { gatewayClassName: "flotilla", listeners },
});
const route = (spec: Record<string, unknown>, ns = "default"): KubeObject => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name: "r", namespace: ns },
  spec,
});
const http = (name: string, extra: Partial<Listener> = {}): Listener => ({
  name,
  port: 80,
  protocol: "HTTP",
  ...extra,
});
const noLabels = () => undefined;

describe("effectiveHostnames (upstream's intersection examples)", () => {
  it.each([
    ["test.example.com", [], ["test.example.com"]],
    ["test.example.com", ["test.example.com"], ["test.example.com"]],
    ["test.example.com", ["*.example.com"], ["test.example.com"]],
    ["test.example.com", ["other.example.com"], []],
    [
      "*.example.com",
      ["*.example.com", "test.example.com", "foo.test.example.com"],
      ["*.example.com", "test.example.com", "foo.test.example.com"],
    ],
    ["*.example.com", ["example.com", "test.example.net"], []],
    ["*.example.com", ["test.example.com", "test.example.net"], ["test.example.com"]],
  ])("listener %s, route %j: %j", (listener, routeHosts, expected) => {
    expect(effectiveHostnames(listener, routeHosts)).toEqual(expected);
  });

  it("a listener without a hostname takes the route's, or any host", () => {
    expect(effectiveHostnames(undefined, ["a.example"])).toEqual(["a.example"]);
    expect(effectiveHostnames(undefined, [])).toBeUndefined();
  });
});

describe("listenerProblem", () => {
  it("flags unsupported protocols, conflicts on a port and route kinds it cannot take", () => {
    const tcp: Listener = { name: "tcp", port: 9000, protocol: "TCP" };
    expect(listenerProblem(tcp, [tcp])?.reason).toBe("UnsupportedProtocol");
    const a = http("a");
    const b: Listener = { name: "b", port: 80, protocol: "HTTPS" };
    expect(listenerProblem(a, [a, b])?.reason).toBe("ProtocolConflict");
    const c = http("c");
    expect(listenerProblem(a, [a, c])?.reason).toBe("HostnameConflict");
    const d = http("d", { hostname: "d.example" });
    expect(listenerProblem(a, [a, d])).toBeUndefined();
    const kinds = http("k", { allowedRoutes: { kinds: [{ kind: "TCPRoute" }] } });
    expect(listenerProblem(kinds, [kinds])?.reason).toBe("InvalidRouteKinds");
  });
});

describe("attach", () => {
  it("by sectionName and port, else NoMatchingParent", () => {
    const gw = gateway([http("web"), http("alt", { port: 8080 })]);
    const names = (ref: Record<string, unknown>) =>
      attach(route({}), gw, { name: "gw", ...ref }, noLabels).listeners.map((l) => l.listener.name);
    expect(names({})).toEqual(["web", "alt"]);
    expect(names({ sectionName: "alt" })).toEqual(["alt"]);
    expect(names({ port: 80 })).toEqual(["web"]);
    expect(attach(route({}), gw, { name: "gw", sectionName: "nope" }, noLabels).reason).toBe("NoMatchingParent");
  });

  it("namespaces Same by default, All, or a Selector on the route namespace's labels", () => {
    const other = route({}, "team");
    const ref = { name: "gw", namespace: "default" };
    expect(attach(other, gateway([http("l")]), ref, noLabels).reason).toBe("NotAllowedByListeners");
    const all = gateway([http("l", { allowedRoutes: { namespaces: { from: "All" } } })]);
    expect(attach(other, all, ref, noLabels).listeners).toHaveLength(1);
    const selected = gateway([
      http("l", { allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { shared: "yes" } } } } }),
    ]);
    expect(attach(other, selected, ref, () => ({ shared: "yes" })).listeners).toHaveLength(1);
    expect(attach(other, selected, ref, () => ({ shared: "no" })).reason).toBe("NotAllowedByListeners");
  });

  it("NoMatchingListenerHostname when no listener hostname intersects the route's", () => {
    const gw = gateway([http("l", { hostname: "*.example.com" })]);
    const r = route({ hostnames: ["shop.example.net"] });
    expect(attach(r, gw, { name: "gw" }, noLabels).reason).toBe("NoMatchingListenerHostname");
    const ok = route({ hostnames: ["shop.example.com", "shop.example.net"] });
    expect(attach(ok, gw, { name: "gw" }, noLabels).listeners[0].hostnames).toEqual(["shop.example.com"]);
  });
});

it("unsupportedValue names a filter the edge does not apply", () => {
  expect(unsupportedValue(route({ rules: [{ filters: [{ type: "RequestHeaderModifier" }] }] }))).toBeUndefined();
  expect(unsupportedValue(route({ rules: [{ filters: [{ type: "URLRewrite" }] }] }))).toBe(
    "filter URLRewrite is not supported at the edge",
  );
});
