// Cluster networking (issue 15), two agents on Podman/Docker: connection + request latency and requests/s to
// a Service's cluster IP beside the pod's IP directly, the pod on the same node and on the other node (through
// the tunnel), and bulk throughput across nodes beside the same node. Two vantage points:
//  - from the host (test/e2e/load.ts' measure: a new connection per request, p50/p99 and requests/s): pod IP
//    directly vs cluster IP (the host's OUTPUT rule of the first agent routes it to that agent's listener);
//  - from a client pod on node a (busybox loops: the mean per request includes wget's start, so the direct
//    pod-IP row is the baseline): pod IPs on node a and node b (the latter through the pod relay and the
//    tunnel), cluster IPs whose only endpoint is on node a or node b; and a 32 MiB download each way.
// Prints figures only; needs Podman and root. Run:
//   DOCKER_HOST=unix:///run/podman/podman.sock npx tsx bench/cluster-ip.ts [--requests 200]
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { connectDocker, findDockerHost } from "../agent/runtime/docker/connect.ts";
import { POD_NETWORK_NODE_LABEL } from "../agent/runtime/docker/pod-network.ts";
import { homePaths } from "../scripts/local/home.ts";
import { removeNodeContainers } from "../test/e2e/containers.ts";
import { clientPod, webAppList } from "../test/e2e/fixtures/web-app.ts";
import { kubectlEnv, runKubectl } from "../test/e2e/kubectl.ts";
import { getStatus, measure } from "../test/e2e/load.ts";
import { startBenchFlotilla } from "./flotilla.ts";
import { median, round } from "./stats.ts";
import { numberFlag } from "./args.ts";
import type { AnyJson as Json } from "../kube/types.ts";

const exec = promisify(execFile);
const NODE = `bench-net-${process.pid.toString(36)}`;
const NODES = [`${NODE}-a`, `${NODE}-b`];
const BULK_BYTES = 32 * 1024 * 1024;

const sideService = (side: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: `web-${side}` },
  spec: { selector: { app: "web", side }, ports: [{ port: 80, targetPort: "http" }] },
});

/** Which node's agent serves cluster IPs for the host: the first FLT-<id>-SVC jump in nat OUTPUT. */
async function hostServingNode(): Promise<string | undefined> {
  const rules = (await exec("iptables", ["-w", "-t", "nat", "-S", "OUTPUT"])).stdout;
  const id = /-j FLT-([0-9a-f]+)-SVC/.exec(rules)?.[1];
  const docker = connectDocker(findDockerHost() ?? "");
  for (const node of NODES) {
    const nets = await docker.listNetworks({ filters: { label: [`${POD_NETWORK_NODE_LABEL}=${node}`] } });
    if (nets.some((n) => n.Name === `flotilla-${id}`)) return node;
  }
  return undefined;
}

async function main(): Promise<void> {
  const requests = numberFlag("--requests", 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-bench-net-"));
  console.error("starting wrangler dev (temporary FLOTILLA_HOME) and two agents on the container runtime …");
  const f = await startBenchFlotilla(dir);
  try {
    await Promise.all(NODES.map((name) => f.startAgent({ name, runtime: "docker" })));
    const env = kubectlEnv(f.kubeconfigPath, homePaths(f.home).kubeCache);
    const kubectl = (args: string[], stdin?: string, timeoutMs = 120_000) =>
      runKubectl(env, args, { stdin, timeoutMs });
    const get = async (args: string[]) => JSON.parse((await kubectl(["get", ...args, "-o", "json"])).stdout) as Json;
    await kubectl(["apply", "-f", "-"], JSON.stringify(webAppList({ replicas: 2, spread: true })));
    for (let i = 0; i < 120; i++) {
      const eps = await get(["endpoints", "web"]).catch(() => ({}));
      if ((eps.subsets?.[0]?.addresses ?? []).length === 2) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const pods: { name: string; node: string; ip: string }[] = (await get(["pods", "-l", "app=web"])).items.map(
      (p: Json) => ({ name: p.metadata.name, node: p.spec.nodeName, ip: p.status.podIP }),
    );
    const podOn = (node: string) => pods.find((p) => p.node === node) ?? pods[0];
    for (const [i, node] of NODES.entries()) {
      await kubectl(["label", "pod", podOn(node)?.name ?? "", `side=${"ab"[i]}`]);
      await kubectl(["apply", "-f", "-"], JSON.stringify(sideService("ab"[i] ?? "")));
    }
    await kubectl(["apply", "-f", "-"], JSON.stringify(clientPod(NODES[0] ?? "")));
    await kubectl(["wait", "--for=condition=Ready", "pod/client", "--timeout=120s"]);
    const ipOf = async (svc: string) => (await get(["service", svc])).spec.clusterIP as string;
    const svcA = await ipOf("web-a");
    const svcB = await ipOf("web-b");
    for (const p of pods)
      await kubectl(["exec", p.name, "--", "sh", "-c", `head -c ${BULK_BYTES} /dev/zero > /www/bulk`]);
    await new Promise((r) => setTimeout(r, 3000)); // the agents hear of web-a/web-b

    // From the host: a fresh connection per request.
    const serving = await hostServingNode();
    const agent = new http.Agent({ keepAlive: false });
    const hostRows: [string, string][] = [
      [`pod IP on ${serving === NODES[0] ? "a" : "b"} (direct)`, `http://${podOn(serving ?? "")?.ip}:8080/`],
      ["cluster IP → pod on the serving node", `http://${serving === NODES[0] ? svcA : svcB}/`],
      ["cluster IP → pod on the other node", `http://${serving === NODES[0] ? svcB : svcA}/`],
    ];
    console.log(
      `\nfrom the host (cluster IPs served by node ${serving?.slice(-1)}'s agent), ${requests} GETs, new connection each:`,
    );
    for (const concurrency of [1, 8]) {
      for (const [label, url] of hostRows) {
        const fig = await measure(() => getStatus(url, agent), requests, concurrency);
        console.log(
          `  c=${concurrency} ${label.padEnd(40)} p50 ${round(fig.p50, 2)} ms  p99 ${round(fig.p99, 2)} ms  ${round(fig.rps, 0)} req/s  failures ${fig.failures}`,
        );
      }
    }

    // From the client pod on node a: mean per request over sequential wgets (three rounds, median).
    const n = Math.min(requests, 100);
    const cs = "$(cut -d' ' -f1 /proc/uptime | tr -d .)";
    const perRequest = async (url: string) => {
      const script = `s=${cs}; for i in $(seq ${n}); do wget -qO- ${url} >/dev/null || echo fail; done; e=${cs}; echo $(( (e - s) * 10000 / ${n} ))`;
      const rounds: number[] = [];
      for (let r = 0; r < 3; r++) {
        const out = (await kubectl(["exec", "client", "--", "sh", "-c", script])).stdout;
        if (out.includes("fail")) throw new Error(`wget ${url} failed from the client`);
        rounds.push(Number(out.trim().split("\n").pop()));
      }
      return median(rounds);
    };
    const a = podOn(NODES[0] ?? "");
    const b = podOn(NODES[1] ?? "");
    console.log(
      `\nfrom a client pod on node a, ${n} sequential wgets (mean per request incl. wget's start), median of 3:`,
    );
    for (const [label, url] of [
      ["pod IP on node a (direct)", `http://${a?.ip}:8080/`],
      ["pod IP on node b (pod relay + tunnel)", `http://${b?.ip}:8080/`],
      ["cluster IP → pod on node a", `http://${svcA}/`],
      ["cluster IP → pod on node b (tunnel)", `http://${svcB}/`],
    ] as const) {
      const us = await perRequest(url);
      console.log(`  ${label.padEnd(40)} ${us} µs/request  ${round(1e6 / us, 0)} req/s`);
    }
    console.log(`\nbulk, ${BULK_BYTES / 1048576} MiB download into the client pod on node a (median of 3):`);
    for (const [label, url] of [
      ["pod IP on node a (direct)", `http://${a?.ip}:8080/bulk`],
      ["cluster IP → pod on node a", `http://${svcA}/bulk`],
      ["pod IP on node b (pod relay + tunnel)", `http://${b?.ip}:8080/bulk`],
      ["cluster IP → pod on node b (tunnel)", `http://${svcB}/bulk`],
    ] as const) {
      const script = `s=${cs}; wget -qO- ${url} | wc -c; e=${cs}; echo $(( (e - s) * 10 ))`;
      const times: number[] = [];
      for (let r = 0; r < 3; r++) {
        const out = (await kubectl(["exec", "client", "--", "sh", "-c", script], undefined, 300_000)).stdout.trim();
        const [bytes, ms] = out.split("\n").map(Number);
        if (bytes !== BULK_BYTES) throw new Error(`${url}: got ${bytes} bytes`);
        times.push(ms ?? Number.NaN);
      }
      const ms = median(times);
      console.log(`  ${label.padEnd(40)} ${ms} ms  ${round(BULK_BYTES / 1048576 / (ms / 1000), 1)} MiB/s`);
    }
  } finally {
    await f.stop();
    await removeNodeContainers(NODES);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
