// pods/proxy and services/proxy behind the real Worker, with a fake agent answering the tunnel's http
// streams: what reaches the pod (method, path, query, headers, body), the response passed back, round robin
// over a service's ready endpoints with refused ones skipped, upstream's errors, and who may proxy.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeAgent } from "../testing/fake-agent.ts";
import {
  BASE,
  call,
  createCluster,
  kube,
  signup,
  type TenantCluster,
  joinNode,
} from "../../../worker/testing/tenants.ts";

interface Setup {
  tenantToken: string;
  cluster: TenantCluster;
  credential: string;
}

async function setup(): Promise<Setup> {
  const tenant = await signup();
  const cluster = await createCluster(tenant);
  const credential = await joinNode(cluster);
  const s = { tenantToken: tenant.token, cluster, credential };
  await makePod(s, "web", "10.88.0.5", [{ containerPort: 8080 }]);
  await makePod(s, "bare", "10.88.0.6", []);
  return s;
}

async function makePod(s: Setup, name: string, ip: string, ports: unknown[]): Promise<void> {
  const admin = s.cluster.adminToken;
  const spec = { nodeName: "n1", containers: [{ name: "main", image: "busybox", ports }] };
  const created = await kube(s.cluster.id, admin, "POST", "/api/v1/namespaces/default/pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec,
  });
  const pod = created.body;
  pod.status = { phase: "Running", podIP: ip, podIPs: [{ ip }] };
  const put = await kube(s.cluster.id, admin, "PUT", `/api/v1/namespaces/default/pods/${name}/status`, pod);
  expect(put.status).toBe(200);
}

const worker = () => (exports as unknown as { default: Fetcher }).default;
const PODS = "/api/v1/namespaces/default/pods";
const SERVICES = "/api/v1/namespaces/default/services";

describe("pods/proxy", () => {
  it("forwards method, path, query, headers and body to the pod's IP and port, and passes the answer back", async () => {
    const s = await setup();
    const agent = await fakeAgent(s);
    const get = await call("GET", `/clusters/${s.cluster.id}${PODS}/web/proxy/hello/there?x=1&y=2`, {
      token: s.cluster.adminToken,
      headers: { "x-app": "yes", connection: "x-drop", "x-drop": "no" },
    });
    expect(get.status).toBe(200);
    expect(get.text).toBe("GET 10.88.0.5:8080/hello/there?x=1&y=2 ");
    expect(get.headers.get("x-pod")).toBe("10.88.0.5");
    expect(get.headers.get("connection")).toBeNull();
    const open = agent.seen[0].open;
    expect(open).toMatchObject({ kind: "http", scheme: "http", host: "10.88.0.5", port: 8080, method: "GET" });
    const names = open.headers.map(([n]) => n);
    expect(names).toContain("x-app");
    // The apiserver's credentials never reach the pod; nor do hop-by-hop headers.
    expect(names).not.toContain("authorization");
    expect(names).not.toContain("x-drop");
    expect(names).not.toContain("connection");

    const post = await call("POST", `/clusters/${s.cluster.id}${PODS}/https:bare:9443/proxy/form`, {
      token: s.cluster.adminToken,
      body: "a=1&b=2",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(post.text).toBe("POST 10.88.0.6:9443/form a=1&b=2");
    expect(agent.seen[1].open).toMatchObject({ scheme: "https", bodyLength: 7 });
    const root = await call("GET", `/clusters/${s.cluster.id}${PODS}/bare/proxy/`, { token: s.cluster.adminToken });
    expect(root.text).toBe("GET 10.88.0.6:80/ ");
    agent.ws.close();
  });

  it("redirects the root without a slash and answers upstream's errors", async () => {
    const s = await setup();
    const base = `/clusters/${s.cluster.id}${PODS}`;
    const redirect = await worker().fetch(`${BASE}${base}/web/proxy?q=1`, {
      headers: { authorization: `Bearer ${s.cluster.adminToken}` },
      redirect: "manual",
    });
    expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "proxy/?q=1"]);
    const cases: [string, number, string][] = [
      [`${base}/web/proxy/`, 503, 'node "n1" is not connected'],
      [`${base}/nope/proxy/`, 404, 'pods "nope" not found'],
      [`${base}/ftp:web:21/proxy/`, 400, 'invalid pod request "ftp:web:21"'],
    ];
    for (const [path, code, message] of cases) {
      const res = await call("GET", path, { token: s.cluster.adminToken });
      expect([path, res.status]).toEqual([path, code]);
      expect(res.body.message).toContain(message);
    }
  });

  it("is for admins only: a view token, no token and another tenant's token are refused", async () => {
    const s = await setup();
    const other = await setup();
    const agent = await fakeAgent(s);
    const view = await call("POST", `/v1/clusters/${s.cluster.id}/tokens`, {
      token: s.tenantToken,
      body: { role: "view" },
    });
    expect(view.status).toBe(201);
    const path = `/clusters/${s.cluster.id}${PODS}/web/proxy/`;
    const viewed = await call("GET", path, { token: view.body.token });
    expect(viewed.status).toBe(403);
    expect(viewed.body.message).toContain(
      'cannot get resource "pods/proxy" in API group "" in the namespace "default"',
    );
    const svc = await call("GET", `/clusters/${s.cluster.id}${SERVICES}/web/proxy/`, { token: view.body.token });
    expect(svc.status).toBe(403);
    expect((await call("GET", path)).status).toBe(401);
    expect((await call("GET", path, { token: other.cluster.adminToken })).status).toBe(401);
    expect(agent.seen).toHaveLength(0);
    agent.ws.close();
  });
});

describe("services/proxy", () => {
  async function service(s: Setup, addresses: string[]) {
    const admin = s.cluster.adminToken;
    const svc = await kube(s.cluster.id, admin, "POST", SERVICES, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    });
    expect(svc.status).toBe(201);
    const eps = await kube(s.cluster.id, admin, "POST", "/api/v1/namespaces/default/endpoints", {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "web" },
      subsets: [
        {
          addresses: addresses.map((ip) => ({ ip, nodeName: "n1" })),
          notReadyAddresses: [{ ip: "10.88.1.99", nodeName: "n1" }],
          ports: [{ name: "http", port: 8080 }],
        },
      ],
    });
    expect(eps.status).toBe(201);
  }

  it("spreads requests round robin over the ready endpoints and skips one that refuses", async () => {
    const s = await setup();
    await service(s, ["10.88.1.1", "10.88.1.2", "10.88.1.3"]);
    const agent = await fakeAgent(s, new Set(["10.88.1.2"]));
    const counts = new Map<string, number>();
    for (let i = 0; i < 12; i++) {
      // Upstream: without a port only an unnamed service port matches, so a named one is asked for.
      const port = i % 2 === 0 ? "web:http" : "web:80";
      const res = await call("GET", `/clusters/${s.cluster.id}${SERVICES}/${port}/proxy/x`, {
        token: s.cluster.adminToken,
      });
      expect([i, res.status, res.text]).toEqual([i, 200, expect.anything()]);
      const pod = res.headers.get("x-pod")!;
      counts.set(pod, (counts.get(pod) ?? 0) + 1);
    }
    // The refused endpoint's turns go to the next one; the not-ready address is never tried.
    expect(counts.get("10.88.1.2")).toBeUndefined();
    expect(counts.get("10.88.1.1")! + counts.get("10.88.1.3")!).toBe(12);
    // Turns alternate 1, 2→3, 3: one share for .1 and two for .3, "web:80" and "web:http" sharing the turn.
    expect([counts.get("10.88.1.1"), counts.get("10.88.1.3")]).toEqual([4, 8]);
    expect(agent.seen.map((r) => r.open.host)).not.toContain("10.88.1.99");
    expect(agent.seen.every((r) => r.open.port === 8080)).toBe(true);
    // A pod that took the request and then failed is not asked again: the request may have had its effect.
    const hangUp = await call("POST", `/clusters/${s.cluster.id}${SERVICES}/web:http/proxy/hang-up`, {
      token: s.cluster.adminToken,
      body: "once",
    });
    expect([hangUp.status, hangUp.body.message]).toEqual([503, "error trying to reach service: socket hang up"]);
    expect(agent.seen.filter((r) => r.open.path === "/hang-up")).toHaveLength(1);
    agent.ws.close();
  });

  it("answers 503 when no endpoint can be reached, and upstream's errors", async () => {
    const s = await setup();
    await service(s, ["10.88.1.1"]);
    const agent = await fakeAgent(s, new Set(["10.88.1.1"]));
    const base = `/clusters/${s.cluster.id}${SERVICES}`;
    const cases: [string, number, string][] = [
      [`${base}/web:http/proxy/`, 503, "dial tcp 10.88.1.1:8080: connect: connection refused"],
      [`${base}/web/proxy/`, 503, 'no endpoints available for service "web"'],
      [`${base}/web:81/proxy/`, 503, 'no service port 81 found for service "web"'],
      [`${base}/web:admin/proxy/`, 503, 'no endpoints available for service "web:admin"'],
      [`${base}/nope/proxy/`, 404, 'services "nope" not found'],
    ];
    for (const [path, code, message] of cases) {
      const res = await call("GET", path, { token: s.cluster.adminToken });
      expect([path, res.status]).toEqual([path, code]);
      expect(res.body.message).toContain(message);
    }
    agent.ws.close();
  });
});
