// Ingress path and host matching as upstream's Ingress documentation tabulates it (the "Examples" table of
// concepts/services-networking/ingress: Prefix by element, Exact before Prefix, longest prefix wins).
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { matchIngress, prefixMatches } from "./ingress-match.ts";

const backend = (name: string) => ({ service: { name, port: { number: 80 } } });
const ing = (name: string, created: string, spec: KubeObject["spec"]): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name, namespace: "default", creationTimestamp: created },
  spec,
});
const paths = (...p: [string, string, string][]) =>
  p.map(([path, pathType, to]) => ({ path, pathType, backend: backend(to) }));
const to = (ingresses: KubeObject[], host: string, path: string) =>
  matchIngress(ingresses, host, path)?.backend.service?.name;

describe("Prefix matching by path element (upstream's examples table)", () => {
  it.each([
    ["/", "/anything", true],
    ["/foo", "/foo", true],
    ["/foo", "/foo/", true],
    ["/foo/", "/foo", true],
    ["/foo/", "/foo/", true],
    ["/aaa/bb", "/aaa/bbb", false],
    ["/aaa/bbb", "/aaa/bbb", true],
    ["/aaa/bbb/", "/aaa/bbb", true],
    ["/aaa/bbb", "/aaa/bbb/", true],
    ["/aaa/bbb", "/aaa/bbb/ccc", true],
    ["/aaa/bbb", "/aaa/bbbxyz", false],
    ["/foo", "/foobar", false],
  ])("%s matches %s: %s", (prefix, path, expected) => {
    expect(prefixMatches(prefix, path)).toBe(expected);
  });
});

describe("matchIngress", () => {
  const site = ing("site", "2026-01-01T00:00:00Z", {
    rules: [
      {
        http: {
          paths: paths(
            ["/api", "Prefix", "api"],
            ["/", "Prefix", "web"],
            ["/api/v2", "Prefix", "v2"],
            ["/login", "Exact", "login"],
          ),
        },
      },
    ],
  });
  it.each([
    ["/api", "api"],
    ["/api/users", "api"],
    ["/api/v2/x", "v2"],
    ["/apix", "web"],
    ["/", "web"],
    ["/login", "login"],
    ["/login/", "web"],
  ])("%s goes to %s (Exact first, longest Prefix)", (path, expected) => {
    expect(to([site], "any.example", path)).toBe(expected);
  });

  it("an Exact path beats a longer Prefix; ImplementationSpecific matches as Prefix", () => {
    const i = ing("i", "2026-01-01T00:00:00Z", {
      rules: [
        {
          http: {
            paths: paths(
              ["/a", "Exact", "exact"],
              ["/a", "Prefix", "prefix"],
              ["/b", "ImplementationSpecific", "impl"],
            ),
          },
        },
      ],
    });
    expect(to([i], "h", "/a")).toBe("exact");
    expect(to([i], "h", "/a/b")).toBe("prefix");
    expect(to([i], "h", "/b/c")).toBe("impl");
  });

  it("host rules answer only their host; a host's rules hide the host-less ones; wildcards cover one label", () => {
    const shop = ing("shop", "2026-01-01T00:00:00Z", {
      defaultBackend: backend("fallback"),
      rules: [
        { host: "shop.example", http: { paths: paths(["/cart", "Prefix", "cart"]) } },
        { host: "*.example", http: { paths: paths(["/", "Prefix", "wild"]) } },
        { http: { paths: paths(["/", "Prefix", "anyhost"]) } },
      ],
    });
    expect(to([shop], "shop.example", "/cart/1")).toBe("cart");
    expect(to([shop], "shop.example", "/other")).toBe("fallback");
    expect(to([shop], "blog.example", "/x")).toBe("wild");
    expect(to([shop], "a.b.example", "/x")).toBe("anyhost");
    expect(to([shop], "example", "/x")).toBe("anyhost");
    expect(to([shop], "other.test", "/")).toBe("anyhost");
  });

  it("the oldest Ingress wins a tie; no match and no default backend is nothing", () => {
    const older = ing("b-older", "2026-01-01T00:00:00Z", {
      rules: [{ http: { paths: paths(["/x", "Prefix", "older"]) } }],
    });
    const newer = ing("a-newer", "2026-01-02T00:00:00Z", {
      rules: [{ http: { paths: paths(["/x", "Prefix", "newer"]) } }],
    });
    expect(to([newer, older], "h", "/x")).toBe("older");
    expect(matchIngress([newer, older], "h", "/y")).toBeUndefined();
  });
});
