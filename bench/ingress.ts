// The edge as the cluster's load balancer (issue 19), one agent on Podman/Docker and a 3-replica busybox httpd
// Deployment: requests/s and p50/p99 latency of a small page through an Ingress at the cluster's ingress
// address, through a LoadBalancer Service's host name, through services/proxy (API, token) and from the pods
// directly (pod IPs, from this host), at concurrency 1 and 8, one run (the targets interleaved per level).
// Prints figures only; needs Podman, so it is not part of `npm run bench`. Run:
//   DOCKER_HOST=unix:///run/podman/podman.sock npx tsx bench/ingress.ts [--requests 300]
import dns from "node:dns";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { homePaths } from "../scripts/local/home.ts";
import { LOCAL_EDGE_DOMAIN } from "../scripts/local/flotilla.ts";
import { chooseRuntime } from "../scripts/local/local-agent.ts";
import { removeNodeContainers } from "../test/e2e/containers.ts";
import { webAppList } from "../test/e2e/fixtures/web-app.ts";
import { kubectlEnv, runKubectl } from "../test/e2e/kubectl.ts";
import { type Figures, getStatus, measure } from "../test/e2e/load.ts";
import { numberFlag } from "./args.ts";
import { startBenchFlotilla } from "./flotilla.ts";

const NODE = `bench-ingress-${process.pid.toString(36)}`;
const CONCURRENCY = [1, 8];

const MANIFEST = webAppList(
  { replicas: 3 },
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "lb" },
    spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "site" },
    spec: {
      rules: [
        {
          http: {
            paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }],
          },
        },
      ],
    },
  },
);

/** Host names under localhost are loopback (as curl and browsers resolve them); Node asks the system otherwise. */
const lookup: typeof dns.lookup = ((host: string, options: unknown, callback: unknown) => {
  const cb = (typeof options === "function" ? options : callback) as (...args: unknown[]) => void;
  const all = typeof options === "object" && (options as { all?: boolean } | null)?.all;
  if (host === "localhost" || host.endsWith(".localhost"))
    return all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4);
  return dns.lookup(host, options as dns.LookupOptions, cb as never);
}) as typeof dns.lookup;

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

async function main(): Promise<void> {
  const requests = numberFlag("--requests", 300);
  const { runtime, why } = await chooseRuntime();
  if (runtime !== "docker") {
    console.error(`bench/ingress.ts needs a Podman or Docker API (${why}). Run it as:`);
    console.error("  DOCKER_HOST=unix:///run/podman/podman.sock npx tsx bench/ingress.ts");
    process.exitCode = 2;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-bench-ingress-"));
  console.error("starting wrangler dev (temporary FLOTILLA_HOME) and an agent on the container runtime …");
  const f = await startBenchFlotilla(dir);
  try {
    await f.startAgent({ name: NODE, runtime: "docker" });
    const env = kubectlEnv(f.kubeconfigPath, homePaths(f.home).kubeCache);
    await runKubectl(env, ["apply", "-f", "-"], { stdin: JSON.stringify(MANIFEST) });
    const ips = await readyIPs(env);
    const direct = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const secure = new https.Agent({ keepAlive: true, maxSockets: 8, ca: f.caPem, lookup });
    const ingressUrl = `https://${f.clusterId}.${LOCAL_EDGE_DOMAIN}:${f.port}/`;
    const lbUrl = `https://lb-default-${f.clusterId}.${LOCAL_EDGE_DOMAIN}:${f.port}/`;
    await untilServing([ingressUrl, lbUrl], secure);
    let next = 0;
    const targets: [string, () => Promise<number>][] = [
      ["Ingress (<cluster>.<domain>)", () => getStatus(ingressUrl, secure)],
      ["LoadBalancer host name", () => getStatus(lbUrl, secure)],
      [
        "services/proxy (API, token)",
        () =>
          getStatus(`${f.clusterUrl}/api/v1/namespaces/default/services/web:http/proxy/`, secure, {
            authorization: `Bearer ${f.adminToken}`,
          }),
      ],
      ["pods directly (pod IPs)", () => getStatus(`http://${ips[next++ % ips.length]}:8080/`, direct)],
    ];
    const results = new Map<string, Figures>();
    for (const concurrency of CONCURRENCY)
      for (const [label, fn] of targets) {
        await measure(fn, 20, concurrency); // warm the connections
        results.set(`${label}|${concurrency}`, await measure(fn, requests * (concurrency > 1 ? 2 : 1), concurrency));
      }
    direct.destroy();
    secure.destroy();
    console.log(
      `\nHTTP GET of a small page, 3 busybox httpd pods on one agent; one run of ${requests} (1 at a time) / ${requests * 2} (8 at a time) requests:`,
    );
    console.log(
      `  ${"path".padEnd(30)} ${"conc".padStart(4)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}  failed`,
    );
    for (const concurrency of CONCURRENCY)
      for (const [label] of targets) {
        const r = results.get(`${label}|${concurrency}`)!;
        console.log(
          `  ${label.padEnd(30)} ${String(concurrency).padStart(4)} ${fmt(r.rps, 0).padStart(8)} ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)}  ${r.failures}`,
        );
      }
    console.log(`  Ingress: ${ingressUrl}\n  LoadBalancer: ${lbUrl}`);
  } finally {
    await f.stop();
    await removeNodeContainers([NODE]).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function readyIPs(env: NodeJS.ProcessEnv): Promise<string[]> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const eps = JSON.parse((await runKubectl(env, ["get", "endpoints", "web", "-o", "json"])).stdout);
    const ready: { ip: string }[] = eps.subsets?.[0]?.addresses ?? [];
    if (ready.length === 3) return ready.map((a) => a.ip);
    if (Date.now() > deadline) throw new Error("the Deployment's 3 pods did not become ready endpoints in 3 min");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Until the controller gave the names their addresses and the edge answers them with a page. */
async function untilServing(urls: string[], agent: https.Agent): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (const url of urls)
    while ((await getStatus(url, agent).catch(() => 0)) !== 200) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within a minute`);
      await new Promise((r) => setTimeout(r, 500));
    }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
