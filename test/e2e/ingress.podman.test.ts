// Issue 19 end to end: the edge as the cluster's load balancer, with the real kubectl, two agents on Podman
// and requests through the local edge (curl and Node, by host names under flotilla.localhost, which curl
// resolves to loopback itself). `kubectl expose --type=LoadBalancer` gets an EXTERNAL-IP host serving pods of
// both nodes at `/` (absolute links load); `kubectl create ingress` routes by Prefix path as upstream and by
// the Host header (a user's domain found by its CNAME, here from a DNS-over-HTTPS stand-in of the test's
// own); an Ingress of another class is not served, a deleted one stops at once; another cluster's names
// never reach this one, and a ClusterIP Service nobody published stays unreachable.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { edgeCurl, edgeGet, otherCluster } from "./edge-client.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("ingress e2e");

const NODE = `e2e-i-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODES = [`${NODE}-a`, `${NODE}-b`];
const DOMAIN = "flotilla.localhost";
const SPREAD_TOTAL = 200;

/** A busybox httpd serving `files` (path → content, `$(hostname)` expanded in the pod) on 8080. */
const httpd = (files: Record<string, string>) => {
  const writes = Object.entries(files).map(
    ([path, content]) => `mkdir -p /www${path.slice(0, path.lastIndexOf("/"))} && echo "${content}" > /www${path}`,
  );
  return ["sh", "-c", `${writes.join(" && ")} && exec httpd -f -p 8080 -h /www`];
};

/** The CNAME records the test's DNS-over-HTTPS stand-in answers (host → target). */
const cnames = new Map<string, string>();

function dohServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const name = new URL(req.url ?? "/", "http://x").searchParams.get("name") ?? "";
    const target = cnames.get(name);
    const answer = target ? [{ name, type: 5, TTL: 1, data: `${target}.` }] : [];
    res.writeHead(200, { "content-type": "application/dns-json" });
    res.end(JSON.stringify({ Status: 0, Answer: answer }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe.skipIf(podman.skip)("the edge as the cluster's load balancer: LoadBalancer Services and Ingress", () => {
  let h: Harness;
  let doh: http.Server;
  let id = "";
  let otherId = "";

  /** curl through the local edge: `url` under flotilla.localhost (resolved by curl), extra headers. */
  const curl = (url: string, headers: string[] = []) => edgeCurl(h.flotilla.caPath, url, headers);
  const edge = (host: string, path = "/") => `https://${host}:${h.port}${path}`;
  const getJson = async (...args: string[]): Promise<Json> =>
    JSON.parse((await h.kubectl(["get", ...args, "-o", "json"])).stdout);
  const readyEndpoints = (service: string, n: number) =>
    until(
      `${n} ready endpoints of ${service}`,
      async () => ((await getJson("endpoints", service)).subsets?.[0]?.addresses?.length === n ? true : undefined),
      180_000,
    );

  beforeAll(async () => {
    podman.require();
    doh = await dohServer();
    const resolver = `http://127.0.0.1:${(doh.address() as AddressInfo).port}/dns-query`;
    h = await startHarness({ vars: { EDGE_DNS_RESOLVER: resolver } });
    id = h.flotilla.clusterId;
    await Promise.all(NODES.map((name) => h.flotilla.startAgent({ name, runtime: "docker" })));
    await untilNodesReady(h, NODES.length);
    // A second cluster of the same account: its names must never reach the first.
    otherId = await otherCluster(h);
    cnames.set("shop.example", `${id}.${DOMAIN}`);
    cnames.set("other.example", `${id}.${DOMAIN}`);
    cnames.set("stranger.example", `${otherId}.${DOMAIN}`);

    const page = "<link rel=stylesheet href=/style.css><p>web $(hostname)</p>";
    const web = httpd({ "/index.html": page, "/style.css": "p{color:teal}", "/apix": "web $(hostname)" });
    const api = httpd({ "/api/users": "api $(hostname)", "/apix": "api $(hostname)", "/index.html": "api" });
    await h.kubectl([
      "create",
      "deployment",
      "web",
      "--image=busybox:stable",
      "--replicas=4",
      "--port=8080",
      "--",
      ...web,
    ]);
    await h.kubectl(["create", "deployment", "api", "--image=busybox:stable", "--port=8080", "--", ...api]);
    await h.kubectl(["expose", "deployment", "api", "--port=80", "--target-port=8080"]);
    await h.kubectl(["expose", "deployment", "web", "--name=hidden", "--port=80", "--target-port=8080"]);
    await readyEndpoints("api", 1);
  }, 400_000);

  afterAll(async () => {
    await h?.stop();
    doh?.close();
    if (!podman.unavailable) await removeNodeContainers(NODES);
  });

  it("kubectl expose --type=LoadBalancer: an EXTERNAL-IP host serving pods of both nodes in equal shares at /", async () => {
    await h.kubectl(["expose", "deployment", "web", "--port=80", "--target-port=8080", "--type=LoadBalancer"]);
    const host = `web-default-${id}.${DOMAIN}`;
    const shown = await until("an EXTERNAL-IP", async () => {
      const out = (await h.kubectl(["get", "svc", "web"])).stdout;
      return out.includes(host) ? out : undefined;
    });
    console.log(shown);
    expect(shown).toMatch(
      new RegExp(`^web\\s+LoadBalancer\\s+10\\.\\S+\\s+${host.replace(/\./g, "\\.")}\\s+80:\\d+/TCP`, "m"),
    );
    await readyEndpoints("web", 4);
    const events = await until("the EdgeHTTPOnly event", async () => {
      const selector = "--field-selector=involvedObject.name=web,involvedObject.kind=Service";
      const out = (await h.kubectl(["get", "events", selector])).stdout;
      return out.includes("EdgeHTTPOnly") ? out : undefined;
    });
    expect(events).toMatch(/EdgeHTTPOnly.*raw TCP and UDP cannot pass the edge/);

    const first = await curl(edge(host));
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/^<link rel=stylesheet href=\/style\.css><p>web web-/);
    const css = await curl(edge(host, "/style.css"));
    expect([css.status, css.body.trim()]).toEqual([200, "p{color:teal}"]);

    const pods = (await getJson("pods", "-l", "app=web")).items.map((p: Json) => ({
      name: p.metadata.name as string,
      node: p.spec.nodeName as string,
    }));
    expect(new Set(pods.map((p: { node: string }) => p.node))).toEqual(new Set(NODES));
    const agent = new https.Agent({ keepAlive: true, ca: h.flotilla.caPem, maxSockets: 4 });
    const counts = new Map<string, number>();
    const get = () => edgeGet(agent, h.port, host);
    for (let i = 0; i < SPREAD_TOTAL; i += 4) {
      for (const answer of await Promise.all([get(), get(), get(), get()])) {
        const pod = /<p>web (\S+)<\/p>/.exec(answer)?.[1] ?? answer.slice(0, 80);
        counts.set(pod, (counts.get(pod) ?? 0) + 1);
      }
    }
    agent.destroy();
    console.log(`LoadBalancer host: ${[...counts].map(([p, n]) => `${p}: ${n}`).join(", ")}`);
    expect([...counts.keys()].sort()).toEqual(pods.map((p: { name: string }) => p.name).sort());
    for (const n of counts.values()) {
      expect(n).toBeGreaterThanOrEqual(0.15 * SPREAD_TOTAL);
      expect(n).toBeLessThanOrEqual(0.35 * SPREAD_TOTAL);
    }
  }, 300_000);

  it("kubectl create ingress: Prefix routing as upstream, the ADDRESS, and a host rule answering only its Host", async () => {
    await h.kubectl(["create", "ingress", "site", "--rule=/api*=api:80", "--rule=/*=web:80"]);
    const site = await getJson("ingress", "site");
    expect(site.spec.ingressClassName).toBe("flotilla");
    expect(site.spec.rules[0].http.paths.map((p: Json) => [p.path, p.pathType])).toEqual([
      ["/api", "Prefix"],
      ["/", "Prefix"],
    ]);
    const address = `${id}.${DOMAIN}`;
    const listed = await until("the ADDRESS", async () => {
      const out = (await h.kubectl(["get", "ingress"])).stdout;
      return out.includes(address) ? out : undefined;
    });
    console.log(listed);
    expect(listed).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE/);
    expect(listed).toMatch(new RegExp(`^site\\s+flotilla\\s+\\*\\s+${address.replace(/\./g, "\\.")}\\s+80\\s`, "m"));
    const described = (await h.kubectl(["describe", "ingress", "site"])).stdout;
    expect(described).toMatch(/Ingress Class:\s+flotilla/);
    expect(described).toMatch(/\/api\s+api:80 \(10\.244\.\d+\.\d+:8080\)/);

    expect((await curl(edge(address, "/api/users"))).body).toMatch(/^api api-/);
    expect((await curl(edge(address, "/apix"))).body).toMatch(/^web web-/);
    expect((await curl(edge(address, "/"))).body).toMatch(/<p>web web-/);

    await h.kubectl(["create", "ingress", "shop", "--rule=shop.example/*=api:80"]);
    const shop = await curl(edge(address, "/apix"), ["Host: shop.example"]);
    expect(shop.body).toMatch(/^api api-/);
    expect((await curl(edge(address, "/apix"))).body).toMatch(/^web web-/);
    expect((await curl(edge(address, "/apix"), ["Host: other.example"])).body).toMatch(/^web web-/);
    // A host whose CNAME names no cluster of ours is no edge request: the API refuses it without a token.
    expect((await curl(edge(address, "/apix"), ["Host: unknown.example"])).status).toBe(401);
  }, 120_000);

  it("an Ingress of another class is not served; a deleted Ingress stops at once", async () => {
    await h.kubectl(["create", "ingress", "elsewhere", "--class=other", "--rule=other.example/*=api:80"]);
    expect((await curl(edge(`${id}.${DOMAIN}`, "/apix"), ["Host: other.example"])).body).toMatch(/^web web-/);
    await new Promise((r) => setTimeout(r, 1500)); // the controller had its chance to claim it
    expect((await getJson("ingress", "elsewhere")).status).toEqual({ loadBalancer: {} });

    expect((await curl(edge(`${id}.${DOMAIN}`, "/apix"), ["Host: shop.example"])).body).toMatch(/^api api-/);
    await h.kubectl(["delete", "ingress", "shop"]);
    // The very next request: nothing cached it.
    expect((await curl(edge(`${id}.${DOMAIN}`, "/apix"), ["Host: shop.example"])).body).toMatch(/^web web-/);
    await h.kubectl(["delete", "ingress", "site"]);
    const gone = await curl(edge(`${id}.${DOMAIN}`, "/api/users"));
    expect(gone.status).toBe(404);
    expect(gone.body).toContain("<h1>404 Not Found</h1>");
  }, 120_000);

  it("refuses another cluster's names on every path, and never serves an unpublished ClusterIP Service", async () => {
    for (const url of [
      edge(`web-default-${otherId}.${DOMAIN}`),
      edge(`${otherId}.${DOMAIN}`, "/api/users"),
      edge(`web-default-${"a".repeat(26)}.${DOMAIN}`),
      `${h.flotilla.url}/public/${otherId}/default/web/`,
    ]) {
      const res = await curl(url);
      expect([url, res.status]).toEqual([url, 404]);
      expect(res.body).not.toMatch(/web-/);
    }
    const stranger = await curl(edge(`${id}.${DOMAIN}`, "/"), ["Host: stranger.example"]);
    expect(stranger.status).toBe(404);
    expect(stranger.body).not.toMatch(/web-/);
    const hidden = await curl(edge(`hidden-default-${id}.${DOMAIN}`));
    expect(hidden.status).toBe(404);
    expect((await curl(`${h.flotilla.url}/public/${id}/default/hidden/`)).status).toBe(404);
    // Not for want of pods: its admin reaches it through services/proxy with a token.
    const viaApi = await h.api("/api/v1/namespaces/default/services/hidden/proxy/");
    expect([viaApi.status, viaApi.body]).toEqual([200, expect.stringMatching(/<p>web web-/)]);
  }, 60_000);

  it("a missing Service or one without ready endpoints answers a short 503 page", async () => {
    await h.kubectl(["create", "ingress", "broken", "--rule=/nowhere=absent:80"]);
    await h.kubectl(["create", "service", "clusterip", "empty", "--tcp=80:8080"]);
    await h.kubectl(["create", "ingress", "empty", "--rule=/empty=empty:80"]);
    for (const path of ["/nowhere", "/empty"]) {
      const res = await curl(edge(`${id}.${DOMAIN}`, path));
      expect([path, res.status]).toEqual([path, 503]);
      expect(res.body).toContain("<h1>503 Service Unavailable</h1>");
    }
  }, 60_000);
});
