// Issue 8 (proxy) end to end: a Deployment of 3 busybox httpd pods behind a Service on an agent on Podman;
// pods/proxy reaches one pod, services/proxy spreads 60 requests over all three and leaves out a pod made
// unready, kubectl proxy serves the same paths, and the proxy refuses requests without a token or with
// another tenant's. Prints the services proxy's throughput and latency next to requesting the pods directly
// and to a plain API read that never leaves the object (figures, not assertions).
import http from "node:http";
import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";

const podman = await podmanGate("proxy e2e");

const IMAGE = "busybox:stable";
const NODE = `e2e-p-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

// biome-ignore lint/suspicious/noExplicitAny: kubectl's JSON output is read field by field
type Json = any;

const MANIFEST = JSON.stringify({
  apiVersion: "v1",
  kind: "List",
  items: [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: "httpd",
                image: IMAGE,
                env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
                command: [
                  "sh",
                  "-c",
                  "mkdir -p /www && echo $POD_NAME > /www/index.html && exec httpd -f -p 8080 -h /www",
                ],
                ports: [{ name: "http", containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/", port: 8080 }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    },
  ],
});

const SVC = "/api/v1/namespaces/default/services/web:http/proxy/";

describe.skipIf(podman.skip)("pods/proxy and services/proxy through the node tunnel", () => {
  let h: Harness;
  let pods: { name: string; ip: string }[] = [];

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await h.flotilla.startAgent({ name: NODE, runtime: "docker" });
    await h.kubectl(["apply", "-f", "-"], { stdin: MANIFEST });
    await until(
      "3 ready endpoints",
      async () => {
        const eps = JSON.parse((await h.kubectl(["get", "endpoints", "web", "-o", "json"])).stdout) as Json;
        const ready = eps.subsets?.[0]?.addresses ?? [];
        return ready.length === 3 ? true : undefined;
      },
      120_000,
    );
    const list = JSON.parse((await h.kubectl(["get", "pods", "-l", "app=web", "-o", "json"])).stdout) as Json;
    pods = list.items.map((p: Json) => ({ name: p.metadata.name, ip: p.status.podIP }));
  }, 240_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers([NODE]);
  });

  it("pods/proxy reaches the pod named in the path (port given, and the first declared port by default)", async () => {
    for (const pod of pods) {
      const withPort = await h.api(`/api/v1/namespaces/default/pods/${pod.name}:8080/proxy/index.html`);
      expect([withPort.status, withPort.body]).toEqual([200, `${pod.name}\n`]);
    }
    const byDefault = await h.api(`/api/v1/namespaces/default/pods/${pods[0].name}/proxy/`);
    expect(byDefault.body).toBe(`${pods[0].name}\n`);
    const missing = await h.api(`/api/v1/namespaces/default/pods/${pods[0].name}:8080/proxy/nope.html`);
    expect(missing.status).toBe(404);
  }, 60_000);

  it("services/proxy spreads 60 requests over the 3 pods in roughly equal shares", async () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const res = await h.api(SVC);
      expect(res.status).toBe(200);
      const name = res.body.trim();
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(pods.map((p) => p.name).sort());
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(15);
  }, 120_000);

  it("a pod made unready stops receiving traffic through services/proxy", async () => {
    const [gone, ...rest] = pods;
    // Its page gone, the readiness probe (GET /) fails and the endpoints controller drops the address.
    await h.kubectl(["exec", gone.name, "--", "rm", "/www/index.html"]);
    await until(
      "2 ready endpoints",
      async () => {
        const eps = JSON.parse((await h.kubectl(["get", "endpoints", "web", "-o", "json"])).stdout) as Json;
        return (eps.subsets?.[0]?.addresses ?? []).length === 2 ? true : undefined;
      },
      60_000,
    );
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await h.api(SVC);
      expect(res.status).toBe(200);
      seen.add(res.body.trim());
    }
    expect([...seen].sort()).toEqual(rest.map((p) => p.name).sort());
    await h.kubectl(["exec", gone.name, "--", "sh", "-c", `echo ${gone.name} > /www/index.html`]);
    await until(
      "3 ready endpoints again",
      async () => {
        const eps = JSON.parse((await h.kubectl(["get", "endpoints", "web", "-o", "json"])).stdout) as Json;
        return (eps.subsets?.[0]?.addresses ?? []).length === 3 ? true : undefined;
      },
      60_000,
    );
  }, 180_000);

  it("kubectl proxy serves the same paths", async () => {
    // The cluster's server URL has a path (/clusters/<id>): kubectl proxy keeps it only when told to.
    const proxy = h.watchKubectl(["proxy", "--port=0", "--append-server-path"]);
    try {
      const line = await proxy.waitFor(/Starting to serve on/, 20_000);
      const port = Number(/:(\d+)/.exec(line)?.[1]);
      const body = await new Promise<string>((resolve, reject) =>
        http
          .get(`http://127.0.0.1:${port}${SVC}`, (res) => {
            let text = "";
            res.on("data", (c) => (text += c));
            res.on("end", () => resolve(text));
          })
          .on("error", reject),
      );
      expect(
        pods.map((p) => `${p.name}\n`),
        body,
      ).toContain(body);
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it("refuses the proxy paths without a token and with another tenant's token", async () => {
    const url = `${h.flotilla.clusterUrl}${SVC}`;
    const none = await httpsRequest(url, { ca: h.flotilla.caPem });
    expect(none.status).toBe(401);
    const signup = await httpsRequest(`${h.flotilla.url}/v1/signup`, {
      method: "POST",
      ca: h.flotilla.caPem,
      headers: { "content-type": "application/json", "cf-connecting-ip": "127.0.2.1" },
      body: JSON.stringify({ email: `other-${Date.now()}@example.com`, password: "a long enough password" }),
    });
    expect(signup.status).toBe(201);
    const created = await httpsRequest(`${h.flotilla.url}/v1/clusters`, {
      method: "POST",
      ca: h.flotilla.caPem,
      headers: { "content-type": "application/json", authorization: `Bearer ${JSON.parse(signup.body).token}` },
      body: JSON.stringify({ name: "other" }),
    });
    const otherAdmin = JSON.parse(created.body).adminToken as string;
    const other = await httpsRequest(url, { ca: h.flotilla.caPem, headers: { authorization: `Bearer ${otherAdmin}` } });
    expect(other.status).toBe(401);
    expect(other.body).not.toMatch(/web-/);
  }, 60_000);

  it("prints throughput and latency of the services proxy next to the pods directly", async () => {
    const proxyAgent = new https.Agent({ keepAlive: true, ca: h.flotilla.caPem, maxSockets: 8 });
    const directAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const viaProxy = () =>
      get(https, `${h.flotilla.clusterUrl}${SVC}`, proxyAgent, { authorization: `Bearer ${h.flotilla.adminToken}` });
    let next = 0;
    const direct = () => get(http, `http://${pods[next++ % pods.length].ip}:8080/`, directAgent, {});
    const apiRead = () =>
      get(https, `${h.flotilla.clusterUrl}/api/v1/namespaces/default/services/web`, proxyAgent, {
        authorization: `Bearer ${h.flotilla.adminToken}`,
      });
    for (const [label, fn] of [
      ["direct to the pods", direct],
      ["API read (no tunnel)", apiRead],
      ["services proxy", viaProxy],
    ] as const) {
      const sequential = await measure(fn, 100, 1);
      const parallel = await measure(fn, 200, 8);
      console.log(
        `${label}: sequential p50 ${sequential.p50.toFixed(1)} ms, p99 ${sequential.p99.toFixed(1)} ms, ` +
          `${sequential.rps.toFixed(0)} req/s; 8 in parallel p50 ${parallel.p50.toFixed(1)} ms, ` +
          `p99 ${parallel.p99.toFixed(1)} ms, ${parallel.rps.toFixed(0)} req/s`,
      );
      expect(sequential.failures + parallel.failures).toBe(0);
    }
    proxyAgent.destroy();
    directAgent.destroy();
  }, 180_000);
});

function get(
  mod: typeof http | typeof https,
  url: string,
  agent: http.Agent,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    mod
      .get(url, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

async function measure(fn: () => Promise<number>, total: number, concurrency: number) {
  const times: number[] = [];
  let failures = 0;
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < total) {
      started++;
      const t = performance.now();
      const status = await fn().catch(() => 0);
      times.push(performance.now() - t);
      if (status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - begin) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99), rps: total / seconds, failures };
}
