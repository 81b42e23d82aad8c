// Issue 19's Gateway API end to end: the real kubectl installs the Gateway API CRDs (test/e2e/fixtures, a
// trimmed standard install), the edge offers the GatewayClass `flotilla`, and upstream's traffic-splitting
// example (a Gateway, an HTTPRoute with backends weighted 90/10 and a header match to a third backend) runs on
// an agent on Podman with requests through the local edge at `<cluster>.flotilla.localhost`: 1,000 requests
// split within a few percent of 90/10, the header goes to the third backend, a redirect filter answers 301
// with its Location, `kubectl get gateway` shows the address and PROGRAMMED True from the CRD's columns, and
// another cluster's address never reaches these routes.
import https from "node:https";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { edgeCurl, edgeGet, otherCluster } from "./edge-client.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("gateway e2e");

const NODE = `e2e-g-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const DOMAIN = "flotilla.localhost";
const CRDS = path.join(import.meta.dirname, "fixtures", "gateway-api-crds.yaml");
const TOTAL = 1000;

/** A busybox httpd answering `<name> <pod>` at every path it is asked for here, on 8080. */
const httpd = (name: string) => [
  "sh",
  "-c",
  `mkdir -p /www && echo "${name} $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www`,
];

// Upstream's traffic-splitting guide, with the header rule sending to a third backend and a redirect rule.
const manifests = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
spec:
  gatewayClassName: flotilla
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: foo-route
spec:
  parentRefs:
  - name: edge
  rules:
  - backendRefs:
    - name: foo-v1
      port: 8080
      weight: 90
    - name: foo-v2
      port: 8080
      weight: 10
  - matches:
    - headers:
      - name: traffic
        value: test
    backendRefs:
    - name: foo-v3
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /old
    filters:
    - type: RequestRedirect
      requestRedirect:
        statusCode: 301
        path:
          type: ReplacePrefixMatch
          replacePrefixMatch: /new
`;

describe.skipIf(podman.skip)("Gateway API at the edge: GatewayClass flotilla, weighted HTTPRoutes", () => {
  let h: Harness;
  let id = "";
  let otherId = "";

  const curl = (url: string, headers: string[] = []) => edgeCurl(h.flotilla.caPath, url, headers);
  const edge = (host: string, p = "/") => `https://${host}:${h.port}${p}`;
  const getJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", ...args, "-o", "json"])).stdout);

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    id = h.flotilla.clusterId;
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    await untilNodesReady(h, 1);
    otherId = await otherCluster(h);
    for (const name of ["foo-v1", "foo-v2", "foo-v3"]) {
      await h.kubectl(["create", "deployment", name, "--image=busybox:stable", "--port=8080", "--", ...httpd(name)]);
      await h.kubectl(["expose", "deployment", name, "--port=8080"]);
    }
    for (const name of ["foo-v1", "foo-v2", "foo-v3"])
      await until(
        `a ready endpoint of ${name}`,
        async () => ((await getJson("endpoints", name)).subsets?.[0]?.addresses?.length === 1 ? true : undefined),
        180_000,
      );
  }, 400_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("installing the CRDs offers the GatewayClass flotilla, Accepted", async () => {
    expect((await h.kubectl(["get", "gatewayclasses"], { allowFail: true })).code).not.toBe(0);
    await h.kubectl(["apply", "-f", CRDS]);
    const shown = await until("GatewayClass flotilla Accepted", async () => {
      const out = (await h.kubectl(["get", "gatewayclass"], { allowFail: true })).stdout;
      return /^flotilla\s+flotilla\.dev\/gateway\s+True\s/m.test(out) ? out : undefined;
    });
    console.log(shown);
    expect(shown).toMatch(/^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE/);
  }, 60_000);

  it("kubectl get gateway shows the ingress address and PROGRAMMED True; the route is Accepted", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: manifests });
    const address = `${id}.${DOMAIN}`;
    const shown = await until("the Gateway Programmed", async () => {
      const out = (await h.kubectl(["get", "gateway"])).stdout;
      return out.includes(address) && /\sTrue\s/.test(out) ? out : undefined;
    });
    console.log(shown);
    expect(shown).toMatch(/^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE/);
    expect(shown).toMatch(new RegExp(`^edge\\s+flotilla\\s+${address.replace(/\./g, "\\.")}\\s+True\\s`, "m"));
    const gw = await getJson("gateway", "edge");
    expect(gw.status.listeners[0]).toMatchObject({ name: "http", attachedRoutes: 1 });
    const routeStatus = await until("the route's parent status", async () => {
      const parents = (await getJson("httproute", "foo-route")).status?.parents;
      return parents?.length === 1 ? parents[0] : undefined;
    });
    expect(routeStatus.controllerName).toBe("flotilla.dev/gateway");
    expect(routeStatus.conditions.map((c: Json) => [c.type, c.status])).toEqual(
      expect.arrayContaining([
        ["Accepted", "True"],
        ["ResolvedRefs", "True"],
      ]),
    );
  }, 60_000);

  it("splits 1,000 requests 90/10, routes the header to the third backend and redirects /old", async () => {
    const host = `${id}.${DOMAIN}`;
    const agent = new https.Agent({ keepAlive: true, ca: h.flotilla.caPem, maxSockets: 8 });
    const get = async (headers = {}) => {
      const answer = await edgeGet(agent, h.port, host, headers);
      return answer.startsWith("200 ") ? answer.split(" ")[1] : answer.slice(0, 80);
    };
    const counts = new Map<string, number>();
    for (let i = 0; i < TOTAL; i += 8)
      for (const answer of await Promise.all(Array.from({ length: Math.min(8, TOTAL - i) }, () => get())))
        counts.set(answer, (counts.get(answer) ?? 0) + 1);
    const test = await get({ traffic: "test" });
    agent.destroy();
    console.log(`1,000 requests: ${[...counts].map(([b, n]) => `${b}: ${n}`).join(", ")}`);
    expect([...counts.keys()].sort()).toEqual(["foo-v1", "foo-v2"]);
    const v1 = (counts.get("foo-v1") ?? 0) / TOTAL;
    expect(v1).toBeGreaterThanOrEqual(0.87);
    expect(v1).toBeLessThanOrEqual(0.93);
    expect(test).toBe("foo-v3");
    expect((await curl(edge(host), ["traffic: test"])).body).toMatch(/^foo-v3 foo-v3-/);

    const moved = await curl(edge(host, "/old/page?q=1"));
    expect(moved.status).toBe(301);
    expect(moved.location).toBe(`https://${host}:${h.port}/new/page?q=1`);
  }, 240_000);

  it("refuses another cluster's address, and a deleted route stops at once", async () => {
    const stranger = await curl(edge(`${otherId}.${DOMAIN}`), ["traffic: test"]);
    expect(stranger.status).toBe(404);
    expect(stranger.body).not.toMatch(/foo-/);
    await h.kubectl(["delete", "httproute", "foo-route"]);
    const gone = await curl(edge(`${id}.${DOMAIN}`));
    expect(gone.status).toBe(404);
    expect(gone.body).toContain("<h1>404 Not Found</h1>");
  }, 60_000);
});
