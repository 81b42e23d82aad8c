// HTTPRoutes served at the cluster's ingress address behind the real Worker (EDGE_DOMAIN "edge.test"), with a
// fake agent answering the tunnel: weighted backendRefs split exactly by smooth weighted round robin, header,
// query and Exact path matches in the spec's precedence, RequestHeaderModifier reaching the pod, a redirect
// answering 301 with its Location, an invalid backend's share answering 500, a route of another class's
// Gateway not served, a deleted route answering no more, and another cluster's address never reaching it.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { kube } from "../../../worker/testing/tenants.ts";
import { fakeAgent, header, type Setup, setup } from "../testing/fake-agent.ts";
import { GW, installGatewayApi } from "../testing/gateway-api.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;

async function at(host: string, path: string, init: RequestInit = {}) {
  const res = await worker().fetch(`https://${host}${path}`, { redirect: "manual", ...init });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function create(s: Setup, plural: string, name: string, spec: Record<string, unknown>, kind: string) {
  const res = await kube(s.cluster.id, s.cluster.adminToken, "POST", `${GW}/namespaces/default/${plural}`, {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind,
    metadata: { name },
    spec,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const gateway = (s: Setup, name: string, className = "flotilla", hostname?: string) =>
  create(
    s,
    "gateways",
    name,
    { gatewayClassName: className, listeners: [{ name: "http", port: 80, protocol: "HTTP", hostname }] },
    "Gateway",
  );
const route = (s: Setup, name: string, spec: Record<string, unknown>) =>
  create(s, "httproutes", name, spec, "HTTPRoute");
const ref = (name: string, port = 80, weight?: number) => ({ name, port, ...(weight === undefined ? {} : { weight }) });

describe("HTTPRoutes at the edge", () => {
  it("splits weighted backends, matches headers, queries and paths, modifies headers and redirects", async () => {
    const s = await setup();
    await installGatewayApi(s.cluster.id, s.cluster.adminToken);
    const agent = await fakeAgent(s);
    const address = `${s.cluster.id}.edge.test`;
    await gateway(s, "edge");
    await route(s, "canary", {
      parentRefs: [{ name: "edge" }],
      rules: [
        { backendRefs: [ref("web", 80, 90), ref("private", 9000, 10)] },
        {
          matches: [{ headers: [{ name: "X-Canary", value: "always" }] }, { queryParams: [{ name: "v", value: "3" }] }],
          filters: [
            {
              type: "RequestHeaderModifier",
              requestHeaderModifier: {
                set: [{ name: "x-route", value: "canary" }],
                add: [{ name: "x-trace", value: "edge" }],
                remove: ["x-drop"],
              },
            },
          ],
          backendRefs: [ref("almost")],
        },
        {
          matches: [{ path: { type: "PathPrefix", value: "/old" } }],
          filters: [
            {
              type: "RequestRedirect",
              requestRedirect: { statusCode: 301, path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/new" } },
            },
          ],
        },
        { matches: [{ path: { type: "Exact", value: "/half" } }], backendRefs: [ref("web"), ref("absent")] },
      ],
    });

    const ports = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const res = await at(address, "/");
      // An answer from neither backend is kept whole, so a failure says what it was.
      const port = /:(\d+)\//.exec(res.text)?.[1] ?? `${res.status} ${res.text.slice(0, 80)}`;
      ports.set(port, (ports.get(port) ?? 0) + 1);
    }
    expect(Object.fromEntries(ports)).toEqual({ 8080: 90, 9090: 10 });

    const seenBefore = agent.seen.length;
    const canary = await at(address, "/x?v=1", {
      headers: { "x-canary": "always", "x-drop": "secret", "x-trace": "client" },
    });
    expect(canary.status).toBe(200);
    const seen = agent.seen.at(-1)!;
    expect(agent.seen.length).toBe(seenBefore + 1);
    expect(header(seen, "x-route")).toBe("canary");
    expect(header(seen, "x-trace")).toBe("client, edge");
    expect(header(seen, "x-drop")).toBeUndefined();
    expect((await at(address, "/y?v=3")).text).toMatch(/^GET 10\.88\.1\.\d:8080\/y\?v=3 $/);
    expect(header(agent.seen.at(-1)!, "x-route")).toBe("canary");

    const moved = await at(address, "/old/page?q=1");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe(`https://${address}/new/page?q=1`);

    // Half the weight on a Service that does not exist: that half answers the spec's 500, without internals.
    const half = await Promise.all(Array.from({ length: 10 }, () => at(address, "/half")));
    expect(half.filter((r) => r.status === 500)).toHaveLength(5);
    const failed = half.find((r) => r.status === 500)!;
    expect(failed.text).toContain("<h1>500 Internal Server Error</h1>");
    expect(failed.text).not.toContain("absent");
    expect(half.filter((r) => r.status === 200)).toHaveLength(5);
    agent.ws.close();
  });

  it("serves only the edge's Gateways and attached routes; a deleted route stops at once; hosts stay their cluster's", async () => {
    const s = await setup();
    const other = await setup();
    await installGatewayApi(s.cluster.id, s.cluster.adminToken);
    const agent = await fakeAgent(s);
    const address = `${s.cluster.id}.edge.test`;
    const classRes = await kube(s.cluster.id, s.cluster.adminToken, "POST", `${GW}/gatewayclasses`, {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "other" },
      spec: { controllerName: "example.com/gateway" },
    });
    expect(classRes.status).toBe(201);
    await gateway(s, "elsewhere", "other");
    await route(s, "unserved", { parentRefs: [{ name: "elsewhere" }], rules: [{ backendRefs: [ref("web")] }] });
    expect((await at(address, "/")).status).toBe(404);

    await gateway(s, "edge", "flotilla", "*.edge.test");
    await route(s, "site", {
      parentRefs: [{ name: "edge" }],
      hostnames: [address],
      rules: [{ backendRefs: [ref("web")] }],
    });
    expect((await at(address, "/a")).text).toMatch(/^GET 10\.88\.1\.\d:8080\/a $/);
    // The other cluster's address goes to the other cluster, which has no such route.
    expect((await at(`${other.cluster.id}.edge.test`, "/a")).status).toBe(404);

    const del = await kube(s.cluster.id, s.cluster.adminToken, "DELETE", `${GW}/namespaces/default/httproutes/site`);
    expect(del.status).toBe(200);
    const gone = await at(address, "/a");
    expect(gone.status).toBe(404);
    expect(gone.text).toContain("<h1>404 Not Found</h1>");
    agent.ws.close();
  });
});
