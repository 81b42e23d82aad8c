// Issue 8 (proxy) end to end: a Deployment of 3 busybox httpd pods spread over two agents on Podman behind a
// published Service; pods/proxy reaches one pod, services/proxy and the public URL each spread 300 requests
// over all three in roughly equal shares, a pod made unready drops out, a pod whose container is killed
// mid-run costs at most the requests in flight on it, kubectl proxy serves the same paths, the public URL of
// an unpublished Service is refused, and the proxy refuses requests without a token or with another tenant's.
// (The public rate and body limits are shown by public.workers.test.ts: this server runs the "local" plan.)
// Prints the services proxy's and the public URL's throughput and latency next to requesting the pods
// directly and to a plain API read that never leaves the object (figures, not assertions).
import http from "node:http";
import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDocker, findDockerHost } from "../../agent/runtime/docker/connect.ts";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { nodeContainers, podmanGate, removeNodeContainers } from "./containers.ts";
import { type Harness, startHarness } from "./harness.ts";
import { untilNodesReady } from "./nodes-ready.ts";
import { webAppList, webService } from "./fixtures/web-app.ts";
import { getStatus, measure } from "./load.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const podman = await podmanGate("proxy e2e");

const NODE = `e2e-p-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const NODES = [`${NODE}-a`, `${NODE}-b`];

const MANIFEST = JSON.stringify(
  // Two pods on one node and one on the other: the load balancing crosses nodes.
  webAppList(
    { replicas: 3, spread: true, serviceAnnotations: { "flotilla.dev/public": "true" } },
    webService("hidden"),
  ),
);

const SVC = "/api/v1/namespaces/default/services/web:http/proxy/";
/** How many requests each spread test sends, and how many at once. */
const SPREAD_TOTAL = 300;
const CONCURRENCY = 4;

describe.skipIf(podman.skip)("pods/proxy, services/proxy and the public URL through the node tunnels", () => {
  let h: Harness;
  let pods: { name: string; ip: string; node: string }[] = [];
  let publicUrl = "";

  const readyAddresses = async () => {
    const eps = JSON.parse((await h.kubectl(["get", "endpoints", "web", "-o", "json"])).stdout) as Json;
    return (eps.subsets?.[0]?.addresses ?? []).length as number;
  };
  const waitReady = (n: number, what: string) =>
    until(what, async () => ((await readyAddresses()) === n ? true : undefined), 120_000);
  const listPods = async () => {
    const list = JSON.parse((await h.kubectl(["get", "pods", "-l", "app=web", "-o", "json"])).stdout) as Json;
    return list.items
      .filter((p: Json) => !p.metadata.deletionTimestamp)
      .map((p: Json) => ({ name: p.metadata.name, ip: p.status.podIP, node: p.spec.nodeName }));
  };

  beforeAll(async () => {
    podman.require();
    h = await startHarness();
    await Promise.all(NODES.map((name) => h.flotilla.startAgent({ name, runtime: "docker" })));
    await untilNodesReady(h, NODES.length);
    await h.kubectl(["apply", "-f", "-"], { stdin: MANIFEST });
    await waitReady(3, "3 ready endpoints");
    pods = await listPods();
    publicUrl = `${h.flotilla.url}/public/${h.flotilla.clusterId}/default/web/`;
  }, 300_000);

  afterAll(async () => {
    await h?.stop();
    if (!podman.unavailable) await removeNodeContainers(NODES);
  });

  it("spreads the 3 pods over both nodes (kubectl get pods -o wide)", async () => {
    const wide = (await h.kubectl(["get", "pods", "-l", "app=web", "-o", "wide"])).stdout;
    console.log(wide);
    for (const node of NODES) expect(wide).toContain(node);
    expect(new Set(pods.map((p) => p.node))).toEqual(new Set(NODES));
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

  it.each([
    ["services/proxy", true],
    ["the public URL (no token)", false],
  ])(
    `%s spreads ${SPREAD_TOTAL} requests over the 3 pods on both nodes in roughly equal shares`,
    async (label, viaApi) => {
      const agent = new https.Agent({ keepAlive: true, ca: h.flotilla.caPem, maxSockets: CONCURRENCY });
      const url = viaApi ? `${h.flotilla.clusterUrl}${SVC}` : publicUrl;
      const headers: Record<string, string> = viaApi ? { authorization: `Bearer ${h.flotilla.adminToken}` } : {};
      const counts = new Map<string, number>();
      const errors = new Map<string, number>();
      const run = await loop(
        SPREAD_TOTAL,
        CONCURRENCY,
        () => getText(url, agent, headers),
        (res) => {
          const key = res.status === 200 ? res.body.trim() : `${res.status} ${res.body.slice(0, 200)}`;
          const into = res.status === 200 ? counts : errors;
          into.set(key, (into.get(key) ?? 0) + 1);
        },
      );
      agent.destroy();
      const shares = pods.map((p) => `${p.name}@${p.node}: ${counts.get(p.name) ?? 0}`).join(", ");
      console.log(`${label}: ${SPREAD_TOTAL} requests, ${run.failures} failed; ${shares}`);
      for (const [error, n] of errors) console.log(`  ${n}× ${error}`);
      expect(run.failures).toBe(0);
      expect([...counts.keys()].sort()).toEqual(pods.map((p) => p.name).sort());
      for (const n of counts.values()) {
        expect(n).toBeGreaterThanOrEqual(0.25 * SPREAD_TOTAL);
        expect(n).toBeLessThanOrEqual(0.42 * SPREAD_TOTAL);
      }
    },
    180_000,
  );

  it("refuses the public URL of an unpublished Service with the same 404 as a missing one", async () => {
    const base = `${h.flotilla.url}/public/${h.flotilla.clusterId}/default`;
    const hidden = await httpsRequest(`${base}/hidden/`, { ca: h.flotilla.caPem });
    const missing = await httpsRequest(`${base}/nope/`, { ca: h.flotilla.caPem });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body).toBe(missing.body);
    expect(hidden.body).not.toMatch(/web-/);
    // Not for want of pods: the same Service answers its admin through services/proxy.
    const viaApi = await h.api("/api/v1/namespaces/default/services/hidden:http/proxy/");
    expect(viaApi.status).toBe(200);
    expect(pods.map((p) => `${p.name}\n`)).toContain(viaApi.body);
  }, 60_000);

  it("a pod made unready stops receiving traffic through services/proxy and the public URL", async () => {
    const [gone, ...rest] = pods;
    // Its page gone, the readiness probe (GET /) fails and the endpoints controller drops the address.
    await h.kubectl(["exec", gone.name, "--", "rm", "/www/index.html"]);
    await waitReady(2, "2 ready endpoints");
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = i % 2 === 0 ? await h.api(SVC) : await httpsRequest(publicUrl, { ca: h.flotilla.caPem });
      expect([i, res.status]).toEqual([i, 200]);
      seen.add(res.body.trim());
    }
    expect([...seen].sort()).toEqual(rest.map((p) => p.name).sort());
    await h.kubectl(["exec", gone.name, "--", "sh", "-c", `echo ${gone.name} > /www/index.html`]);
    await waitReady(3, "3 ready endpoints again");
  }, 180_000);

  it(`a pod whose container is killed mid-run costs at most the ${CONCURRENCY} requests in flight`, async () => {
    const victim = pods[pods.length - 1];
    const container = (await nodeContainers(victim.node)).find(
      (c) => c.pod === victim.name && c.container === "httpd" && c.state === "running",
    );
    expect(container, `${victim.name}'s httpd container on ${victim.node}`).toBeDefined();
    const agent = new https.Agent({ keepAlive: true, ca: h.flotilla.caPem, maxSockets: CONCURRENCY });
    const counts = new Map<string, number>();
    const errors: string[] = [];
    let killedAt = -1;
    const total = 400;
    const run = await loop(
      total,
      CONCURRENCY,
      () => getText(publicUrl, agent, {}),
      (res, done) => {
        if (res.status === 200) counts.set(res.body.trim(), (counts.get(res.body.trim()) ?? 0) + 1);
        else errors.push(`${res.status} ${res.body.slice(0, 160)}`);
        if (done === 100 && killedAt < 0) {
          killedAt = done;
          void dockerApi()
            .getContainer(container!.id)
            .kill()
            .catch((error: Error) => errors.push(`kill: ${error.message}`));
        }
      },
    );
    agent.destroy();
    console.log(
      `killed ${victim.name}'s container after ${killedAt} of ${total} requests (${CONCURRENCY} at once): ` +
        `${run.failures} failed${errors.length ? ` (${errors.join("; ")})` : ""}; ` +
        pods.map((p) => `${p.name}: ${counts.get(p.name) ?? 0}`).join(", "),
    );
    expect(killedAt).toBe(100);
    expect(run.failures).toBeLessThanOrEqual(CONCURRENCY);
    expect(counts.get(victim.name) ?? 0).toBeGreaterThan(0);
    // The container comes back (restartPolicy Always) and its pod turns ready again.
    await waitReady(3, "3 ready endpoints after the restart");
    pods = await listPods();
  }, 240_000);

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
      getStatus(`${h.flotilla.clusterUrl}${SVC}`, proxyAgent, { authorization: `Bearer ${h.flotilla.adminToken}` });
    let next = 0;
    const direct = () => getStatus(`http://${pods[next++ % pods.length].ip}:8080/`, directAgent, {});
    const apiRead = () =>
      getStatus(`${h.flotilla.clusterUrl}/api/v1/namespaces/default/services/web`, proxyAgent, {
        authorization: `Bearer ${h.flotilla.adminToken}`,
      });
    const viaPublic = () => getStatus(publicUrl, proxyAgent, {});
    for (const [label, fn] of [
      ["direct to the pods", direct],
      ["API read (no tunnel)", apiRead],
      ["services proxy", viaProxy],
      ["public URL", viaPublic],
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

function dockerApi() {
  const host = findDockerHost();
  if (!host) throw new Error("no Docker or Podman API (set DOCKER_HOST)");
  return connectDocker(host);
}

/** A GET over HTTPS with its status and body; a failed connection reads as status 0. */
function getText(
  url: string,
  agent: https.Agent,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    https
      .get(url, { agent, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", (error) => resolve({ status: 0, body: error.message }));
      })
      .on("error", (error) => resolve({ status: 0, body: error.message }));
  });
}

/** `total` requests, `concurrency` at a time; `seen` gets each answer and how many have finished. */
async function loop(
  total: number,
  concurrency: number,
  send: () => Promise<{ status: number; body: string }>,
  seen: (res: { status: number; body: string }, done: number) => void,
): Promise<{ failures: number }> {
  let started = 0;
  let done = 0;
  let failures = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      const res = await send();
      done++;
      if (res.status !== 200) failures++;
      seen(res, done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { failures };
}
