// The clusters' host names behind the real Worker (EDGE_DOMAIN "edge.test" in the workers config), with a
// fake agent answering the tunnel: a LoadBalancer and a published Service at `<svc>-<ns>-<cluster>.edge.test/`,
// Ingresses at `<cluster>.edge.test` routed by host and path, 503 pages for missing backends, nothing for an
// unpublished ClusterIP Service, another tenant's names never reaching this cluster, a deleted Ingress
// answering no more, the edge header never taken from a client, and the plan's public limits.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EDGE_HEADER } from "../../../kube/edge-hosts.ts";
import { kube } from "../../../worker/testing/tenants.ts";
import { fakeAgent, header, type Setup, service, setup } from "../testing/fake-agent.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;
const ING = "/apis/networking.k8s.io/v1/namespaces/default/ingresses";

async function at(host: string, path: string, init: RequestInit = {}) {
  const res = await worker().fetch(`https://${host}${path}`, init);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const backend = (name: string, port: Record<string, unknown> = { number: 80 }) => ({ service: { name, port } });

async function createIngress(s: Setup, name: string, spec: Record<string, unknown>): Promise<void> {
  const res = await kube(s.cluster.id, s.cluster.adminToken, "POST", ING, {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name },
    spec,
  });
  expect(res.status).toBe(201);
}

describe("host names at the edge", () => {
  it("serves a LoadBalancer and a published Service at / of their host names, never an unpublished one", async () => {
    const s = await setup();
    await service(s, "lb", {}, { type: "LoadBalancer" });
    const agent = await fakeAgent(s);
    const id = s.cluster.id;
    const res = await at(`lb-default-${id}.edge.test`, "/style.css?v=1", {
      headers: { "cf-connecting-ip": "203.0.113.9" },
    });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^GET 10\.88\.1\.\d:8080\/style\.css\?v=1 $/);
    const seen = agent.seen.at(-1)!;
    expect(header(seen, "x-forwarded-host")).toBe(`lb-default-${id}.edge.test`);
    expect(header(seen, "x-forwarded-proto")).toBe("https");
    expect(header(seen, "x-forwarded-for")).toBe("203.0.113.9");
    expect(header(seen, "x-forwarded-prefix")).toBeUndefined();
    // The app's every path, /v1 and /healthz included, and the published (ClusterIP) Service too.
    expect((await at(`web-default-${id}.edge.test`, "/v1/x")).text).toMatch(/^GET 10\.88\.1\.\d:8080\/v1\/x $/);
    const hidden = await at(`private-default-${id}.edge.test`, "/");
    const missing = await at(`nope-default-${id}.edge.test`, "/");
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.text).toBe(missing.text);
    expect(hidden.text).toContain("<h1>404 Not Found</h1>");
    // A WebSocket upgrade goes to a pod as one (this fake agent's pods refuse it: the 503 page).
    const upgrade = await at(`lb-default-${id}.edge.test`, "/socket?room=1", { headers: { upgrade: "websocket" } });
    expect(upgrade.status).toBe(503);
    const opened = agent.seen.filter((x) => (x.open as { kind: string }).kind === "websocket");
    expect(opened.map((x) => x.open.path)).toEqual(["/socket?room=1", "/socket?room=1", "/socket?room=1"]);
    agent.ws.close();
  });

  it("never reaches another tenant's cluster, and takes the edge header from no client", async () => {
    const a = await setup();
    const b = await setup();
    const agent = await fakeAgent(a);
    // b's id in a's name, a's Service name under b's id: each goes to the cluster its id ends with.
    expect((await at(`web-default-${b.cluster.id}.edge.test`, "/")).status).toBe(503);
    expect((await at(`web-default-${a.cluster.id}.edge.test`, "/")).status).toBe(200);
    expect((await at(`web-default-${"a".repeat(26)}.edge.test`, "/")).status).toBe(404);
    // A client's own edge header on the API path is dropped: the API answers as ever.
    const spoofed = await worker().fetch(`https://flotilla.test/clusters/${a.cluster.id}/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${a.cluster.adminToken}`, [EDGE_HEADER]: "ingress" },
    });
    expect(spoofed.status).toBe(200);
    expect(((await spoofed.json()) as { kind: string }).kind).toBe("NamespaceList");
    agent.ws.close();
  });

  it("routes the cluster's Ingresses by host and path; a missing Service is a 503 page; a deleted Ingress stops", async () => {
    const s = await setup();
    const agent = await fakeAgent(s);
    const address = `${s.cluster.id}.edge.test`;
    await createIngress(s, "site", {
      rules: [
        {
          http: {
            paths: [
              { path: "/api", pathType: "Prefix", backend: backend("web", { name: "admin" }) },
              { path: "/", pathType: "Prefix", backend: backend("web") },
              { path: "/gone", pathType: "Prefix", backend: backend("absent") },
            ],
          },
        },
      ],
    });
    await createIngress(s, "shop", {
      rules: [{ host: "shop.example", http: { paths: [{ path: "/", pathType: "Exact", backend: backend("web") }] } }],
    });
    expect((await at(address, "/api/users")).text).toMatch(/^GET 10\.88\.1\.\d:9090\/api\/users $/);
    expect((await at(address, "/apix")).text).toMatch(/^GET 10\.88\.1\.\d:8080\/apix $/);
    const gone = await at(address, "/gone/x");
    expect(gone.status).toBe(503);
    expect(gone.text).toContain("<h1>503 Service Unavailable</h1>");
    expect(gone.text).not.toContain("absent");
    // An Ingress of another class is not served.
    await createIngress(s, "elsewhere", {
      ingressClassName: "other",
      rules: [{ host: address, http: { paths: [{ path: "/x", pathType: "Exact", backend: backend("absent") }] } }],
    });
    // (its host is the ingress address itself: were it served, /x would be its Exact match, a 503)
    expect((await at(address, "/x")).text).toMatch(/:8080\/x $/);
    expect((await at(address, "/")).text).toMatch(/:8080\/ $/);
    const del = await kube(s.cluster.id, s.cluster.adminToken, "DELETE", `${ING}/site`);
    expect(del.status).toBe(200);
    expect((await at(address, "/api/users")).status).toBe(404);
    agent.ws.close();
  });

  it("applies the plan's public rate and body limits", async () => {
    const s = await setup({ publicRequestsPerSecond: 1, publicBodyBytes: 16 });
    await service(s, "lb", {}, { type: "LoadBalancer" });
    const host = `lb-default-${s.cluster.id}.edge.test`;
    const big = await at(host, "/", { method: "POST", body: "x".repeat(64) });
    expect(big.status).toBe(413);
    let limited = 0;
    for (let i = 0; i < 5; i++) if ((await at(host, "/")).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});
