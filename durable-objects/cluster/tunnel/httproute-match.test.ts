// HTTPRoute matching as the Gateway API spec orders it (apis/v1 httproute_types.go: HTTPRouteRule.Matches'
// precedence, HTTPRouteSpec.Hostnames' precedence, PathPrefix by element, ReplacePrefixMatch's table, the
// redirect port rules) and the weighted pick over backendRefs.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import {
  type AttachedRoute,
  matchHTTPRoute,
  modifyHeaders,
  redirectLocation,
  replacePrefix,
  type RouteRule,
  WeightedPicker,
} from "./httproute-match.ts";

const route = (name: string, created: string, rules: RouteRule[], ns = "default"): KubeObject => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, namespace: ns, creationTimestamp: created },
  spec: { rules },
});
const to = (name: string, matches: RouteRule["matches"]): RouteRule => ({ matches, backendRefs: [{ name, port: 80 }] });
const attached = (r: KubeObject, hostnames?: string[]): AttachedRoute => ({ route: r, hostnames });

function served(
  routes: AttachedRoute[],
  target: string,
  { host = "app.example", method = "GET", headers = {} as Record<string, string> } = {},
) {
  const url = new URL(target, "https://x");
  const m = matchHTTPRoute(routes, {
    host,
    method,
    path: url.pathname,
    headers: new Headers(headers),
    query: url.searchParams,
  });
  return m?.rule.backendRefs?.[0]?.name;
}

describe("matchHTTPRoute precedence", () => {
  const T1 = "2026-01-01T00:00:00Z";
  const T2 = "2026-01-02T00:00:00Z";

  it("Exact before any prefix, then the longest prefix, by whole path elements", () => {
    const r = route("r", T1, [
      to("root", [{ path: { type: "PathPrefix", value: "/" } }]),
      to("foo", [{ path: { type: "PathPrefix", value: "/foo" } }]),
      to("foobar", [{ path: { type: "PathPrefix", value: "/foo/bar/" } }]),
      to("exact", [{ path: { type: "Exact", value: "/foo/bar/baz" } }]),
    ]);
    expect(served([attached(r)], "/foo")).toBe("foo");
    expect(served([attached(r)], "/foo/")).toBe("foo");
    expect(served([attached(r)], "/foobar")).toBe("root");
    expect(served([attached(r)], "/foo/bar")).toBe("foobar");
    expect(served([attached(r)], "/foo/bar/baz")).toBe("exact");
    expect(served([attached(r)], "/foo/bar/baz/")).toBe("foobar");
  });

  it("then a method, then the most header matches, then the most query param matches", () => {
    const r = route("r", T1, [
      to("plain", [{ path: { value: "/" } }]),
      to("query", [{ path: { value: "/" }, queryParams: [{ name: "v", value: "2" }] }]),
      to("header", [{ path: { value: "/" }, headers: [{ name: "X-Canary", value: "yes" }] }]),
      to("method", [{ path: { value: "/" }, method: "POST" }]),
    ]);
    const rs = [attached(r)];
    expect(served(rs, "/?v=2", { headers: { "x-canary": "yes" } })).toBe("header");
    expect(served(rs, "/?v=2&v=3")).toBe("query");
    expect(served(rs, "/?v=3&v=2")).toBe("plain"); // the first value of a repeated param
    expect(served(rs, "/", { headers: { "X-CANARY": "no" } })).toBe("plain");
    expect(served(rs, "/?v=2", { method: "POST", headers: { "x-canary": "yes" } })).toBe("method");
  });

  it("headers are ANDed and only the first of an equivalent name counts; matches of a rule are ORed", () => {
    const r = route("r", T1, [
      to("root", [{}]),
      to("both", [
        {
          headers: [
            { name: "a", value: "1" },
            { name: "B", value: "2" },
            { name: "b", value: "ignored" },
          ],
        },
        { path: { type: "Exact", value: "/either" } },
      ]),
    ]);
    expect(served([attached(r)], "/", { headers: { a: "1", b: "2" } })).toBe("both");
    expect(served([attached(r)], "/", { headers: { a: "1" } })).toBe("root");
    expect(served([attached(r)], "/either")).toBe("both");
  });

  it("RegularExpression paths and headers match the whole value with RE2", () => {
    const r = route("r", T1, [
      to("root", [{}]),
      to("regex", [{ path: { type: "RegularExpression", value: "/items/[0-9]+" } }]),
      to("hdr", [{ headers: [{ type: "RegularExpression", name: "x-v", value: "v[2-3]" }] }]),
    ]);
    expect(served([attached(r)], "/items/42")).toBe("regex");
    expect(served([attached(r)], "/items/42/x")).toBe("root");
    expect(served([attached(r)], "/", { headers: { "x-v": "v3" } })).toBe("hdr");
    expect(served([attached(r)], "/", { headers: { "x-v": "v33" } })).toBe("root");
  });

  it("ties go to the oldest route, then <namespace>/<name>, then the first rule", () => {
    const older = route("z", T1, [to("older", [{ path: { value: "/x" } }])]);
    const newer = route("a", T2, [to("newer", [{ path: { value: "/x" } }])]);
    expect(served([attached(newer), attached(older)], "/x")).toBe("older");
    const a = route("a", T1, [to("a", [{}])], "ns1");
    const b = route("a", T1, [to("b", [{}])], "ns0");
    expect(served([attached(a), attached(b)], "/")).toBe("b");
    const twice = route("r", T1, [to("first", [{}]), to("second", [{}])]);
    expect(served([attached(twice)], "/")).toBe("first");
  });

  it("hostnames: the longest matching precise hostname, then the longest wildcard; a suffix match", () => {
    const any = route("any", T1, [to("any", [{}])]);
    const wild = route("wild", T2, [to("wild", [{}])]);
    const deep = route("deep", T2, [to("deep", [{}])]);
    const exact = route("exact", T2, [to("exact", [{ path: { value: "/only" } }])]);
    const rs = [
      attached(any),
      attached(wild, ["*.example.com"]),
      attached(deep, ["*.api.example.com"]),
      attached(exact, ["shop.example.com"]),
    ];
    expect(served(rs, "/only", { host: "shop.example.com" })).toBe("exact");
    expect(served(rs, "/x", { host: "shop.example.com" })).toBe("wild"); // the exact route has no match for /x
    expect(served(rs, "/", { host: "a.b.example.com" })).toBe("wild");
    expect(served(rs, "/", { host: "v1.api.example.com" })).toBe("deep");
    expect(served(rs, "/", { host: "example.com" })).toBe("any");
    expect(served([attached(exact, ["shop.example.com"])], "/only", { host: "other.example" })).toBeUndefined();
  });
});

describe("WeightedPicker", () => {
  it("splits 90/10 exactly over every 10 picks, interleaved, and skips weight 0", () => {
    const picker = new WeightedPicker();
    const picks = Array.from({ length: 1000 }, () => picker.pick("r/0", [90, 10, 0]));
    expect(picks.filter((p) => p === 0)).toHaveLength(900);
    expect(picks.filter((p) => p === 1)).toHaveLength(100);
    expect(picks.slice(0, 10).filter((p) => p === 1)).toHaveLength(1);
    expect(picker.pick("r/1", [0, 0])).toBeUndefined();
  });

  it("starts over when the weights change", () => {
    const picker = new WeightedPicker();
    picker.pick("k", [1, 1]);
    expect(Array.from({ length: 4 }, () => picker.pick("k", [0, 1]))).toEqual([1, 1, 1, 1]);
  });
});

describe("filters", () => {
  it("RequestHeaderModifier sets, adds and removes, case-insensitively", () => {
    const h = new Headers({ "my-header": "foo", "x-drop": "1", "x-keep": "k" });
    modifyHeaders(h, {
      set: [{ name: "X-Set", value: "s" }],
      add: [{ name: "My-Header", value: "bar,baz" }],
      remove: ["X-DROP"],
    });
    expect(Object.fromEntries(h)).toEqual({ "my-header": "foo, bar,baz", "x-keep": "k", "x-set": "s" });
  });

  it.each([
    ["/foo/bar", "/foo", "/xyz", "/xyz/bar"],
    ["/foo/bar", "/foo", "/xyz/", "/xyz/bar"],
    ["/foo/bar", "/foo/", "/xyz", "/xyz/bar"],
    ["/foo/bar", "/foo/", "/xyz/", "/xyz/bar"],
    ["/foo", "/foo", "/xyz", "/xyz"],
    ["/foo/", "/foo", "/xyz", "/xyz/"],
    ["/foo/bar", "/foo", "", "/bar"],
    ["/foo/", "/foo", "", "/"],
    ["/foo", "/foo", "", "/"],
    ["/foo/", "/foo", "/", "/"],
    ["/foo", "/foo", "/", "/"],
  ])("ReplacePrefixMatch: %s with prefix %s and %j is %s", (path, prefix, replacement, expected) => {
    expect(replacePrefix(path, prefix, replacement)).toBe(expected);
  });

  it("RequestRedirect: scheme, hostname, port and path as upstream derives them", () => {
    const url = new URL("https://app.example:8787/old/page?q=1");
    const prefix = { path: { type: "PathPrefix", value: "/old" } };
    expect(redirectLocation({ statusCode: 301 }, url, "app.example", prefix)).toBe(
      "https://app.example:8787/old/page?q=1",
    );
    expect(redirectLocation({ scheme: "https" }, url, "app.example", prefix)).toBe("https://app.example/old/page?q=1");
    expect(redirectLocation({ scheme: "http", port: 8080 }, url, "app.example", prefix)).toBe(
      "http://app.example:8080/old/page?q=1",
    );
    expect(
      redirectLocation(
        { hostname: "new.example", path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/new" } },
        url,
        "app.example",
        prefix,
      ),
    ).toBe("https://new.example:8787/new/page?q=1");
    expect(
      redirectLocation(
        { path: { type: "ReplaceFullPath", replaceFullPath: "/moved" }, port: 443 },
        url,
        "app.example",
        prefix,
      ),
    ).toBe("https://app.example/moved?q=1");
  });
});
