// Streams through the node tunnel (issue 8), one agent on Podman/Docker and a 3-replica busybox httpd
// Deployment behind a Service: requests/s and p50/p99 latency for the pods directly (pod IPs, from this
// host), services/proxy through the API with the token, and the Service's public URL, at concurrency 1 and
// 8 in the same run (rounds interleaved, medians over rounds); then log-follow latency, a line's write in
// the container to its arrival at `kubectl logs -f` (host and container share the clock), beside the same
// lines read from the container runtime directly. Prints figures only; needs Podman, so it is not part of
// `npm run bench`. Run: DOCKER_HOST=unix:///run/podman/podman.sock npx tsx bench/streams.ts
//   [--rounds 5] [--requests 200] [--lines 150]
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { connectDocker, findDockerHost } from "../agent/runtime/docker/connect.ts";
import type { RunningFlotilla } from "../scripts/local/flotilla.ts";
import { homePaths } from "../scripts/local/home.ts";
import { chooseRuntime } from "../scripts/local/local-agent.ts";
import { removeNodeContainers } from "../test/e2e/containers.ts";
import { webAppList } from "../test/e2e/fixtures/web-app.ts";
import { type Figures, getStatus, measure } from "../test/e2e/load.ts";
import { kubectlEnv, requireKubectl, runKubectl } from "../test/e2e/kubectl.ts";
import { startBenchFlotilla } from "./flotilla.ts";
import { median, percentile } from "./stats.ts";
import { numberFlag } from "./args.ts";

const IMAGE = "busybox:stable";
const NODE = `bench-streams-${process.pid.toString(36)}`;
const CONCURRENCY = [1, 8];

const container = (name: string, script: string, extra: object = {}) => ({
  name,
  image: IMAGE,
  command: ["sh", "-c", script],
  ...extra,
});

const MANIFEST = webAppList(
  { replicas: 3, serviceAnnotations: { "flotilla.dev/public": "true" } },
  {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "clock" },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      // busybox's date has no %N: adjtimex prints the kernel's time in µs; the line is flushed when awk exits.
      containers: [
        container(
          "main",
          `while :; do adjtimex | awk '/tv_sec/{s=$2} /tv_usec/{u=$2} END{printf "%d%06d\\n", s, u}'; sleep 0.2; done`,
        ),
      ],
    },
  },
);

/** Microseconds since the epoch, as the container's clock lines are written. */
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

/** Latencies (ms) of `count` clock lines read from `lines`, skipping the backlog written before the start. */
function lineLatencies(onLine: (cb: (line: string) => void) => void, count: number, timeoutMs: number) {
  const startedAt = nowMicros();
  return new Promise<number[]>((resolve, reject) => {
    const out: number[] = [];
    const timer = setTimeout(
      () => reject(new Error(`only ${out.length} of ${count} lines in ${timeoutMs} ms`)),
      timeoutMs,
    );
    onLine((line) => {
      const received = nowMicros();
      const written = Number(line.trim());
      if (!Number.isFinite(written) || written < startedAt || out.length >= count) return;
      out.push((received - written) / 1000);
      if (out.length === count) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
}

async function logFollow(f: RunningFlotilla, lines: number): Promise<number[]> {
  const env = kubectlEnv(f.kubeconfigPath, homePaths(f.home).kubeCache);
  const child: ChildProcess = spawn(requireKubectl(env.PATH), ["logs", "-f", "clock", "--tail=1"], { env });
  try {
    return await lineLatencies(
      (cb) => createInterface({ input: child.stdout! }).on("line", cb),
      lines,
      lines * 400 + 30_000,
    );
  } finally {
    child.kill("SIGTERM");
  }
}

/** The same lines straight from the container runtime's log API: what the tunnel adds is the difference. */
async function runtimeFollow(containerID: string, lines: number): Promise<number[]> {
  const docker = connectDocker(findDockerHost()!);
  const stream = (await docker
    .getContainer(containerID)
    .logs({ follow: true, stdout: true, stderr: true, tail: 1 })) as unknown as NodeJS.ReadableStream & {
    destroy(): void;
  };
  const { PassThrough } = await import("node:stream");
  const stdout = new PassThrough();
  docker.modem.demuxStream(stream, stdout, new PassThrough());
  try {
    return await lineLatencies((cb) => createInterface({ input: stdout }).on("line", cb), lines, lines * 400 + 30_000);
  } finally {
    stream.destroy();
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

async function main(): Promise<void> {
  const rounds = numberFlag("--rounds", 5);
  const requests = numberFlag("--requests", 200);
  const lines = numberFlag("--lines", 150);
  const { runtime, why } = await chooseRuntime();
  if (runtime !== "docker") {
    console.error(`bench/streams.ts needs a Podman or Docker API (${why}). Run it as:`);
    console.error("  DOCKER_HOST=unix:///run/podman/podman.sock npx tsx bench/streams.ts");
    process.exitCode = 2;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-bench-streams-"));
  console.error("starting wrangler dev (temporary FLOTILLA_HOME) and an agent on the container runtime …");
  const f = await startBenchFlotilla(dir);
  try {
    await f.startAgent({ name: NODE, runtime: "docker" });
    const env = kubectlEnv(f.kubeconfigPath, homePaths(f.home).kubeCache);
    const kubectl = (args: string[], stdin?: string) => runKubectl(env, args, { stdin });
    await kubectl(["apply", "-f", "-"], JSON.stringify(MANIFEST));
    const pods = await readyPods(kubectl);
    console.error(`3 ready pods on ${NODE}: ${pods.map((p) => p.ip).join(", ")}; measuring …`);
    await report(f, pods, { rounds, requests });
    const clock = JSON.parse((await kubectl(["get", "pod", "clock", "-o", "json"])).stdout);
    const id = String(clock.status.containerStatuses[0].containerID).replace(/^[a-z]+:\/\//, "");
    const viaKubectl = await logFollow(f, lines);
    const viaRuntime = await runtimeFollow(id, lines);
    console.log(`\nlog follow, a line's write in the container → its arrival (${lines} lines, every 200 ms):`);
    for (const [label, samples] of [
      ["kubectl logs -f (tunnel)", viaKubectl],
      ["container runtime's log API", viaRuntime],
    ] as const) {
      const sorted = [...samples].sort((a, b) => a - b);
      console.log(
        `  ${label.padEnd(30)} p50 ${fmt(percentile(sorted, 50))} ms   p99 ${fmt(percentile(sorted, 99))} ms   max ${fmt(sorted.at(-1) ?? Number.NaN)} ms`,
      );
    }
  } finally {
    await f.stop();
    await removeNodeContainers([NODE]).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Kubectl = (args: string[], stdin?: string) => Promise<{ stdout: string }>;

async function readyPods(kubectl: Kubectl): Promise<{ name: string; ip: string }[]> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const eps = JSON.parse((await kubectl(["get", "endpoints", "web", "-o", "json"])).stdout);
    const ready: { ip: string; targetRef?: { name: string } }[] = eps.subsets?.[0]?.addresses ?? [];
    if (ready.length === 3) return ready.map((a) => ({ name: a.targetRef?.name ?? "", ip: a.ip }));
    if (Date.now() > deadline) throw new Error("the Deployment's 3 pods did not become ready endpoints in 3 min");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function report(
  f: RunningFlotilla,
  pods: { ip: string }[],
  opts: { rounds: number; requests: number },
): Promise<void> {
  const direct = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const secure = new https.Agent({ keepAlive: true, maxSockets: 8, ca: f.caPem });
  const token = { authorization: `Bearer ${f.adminToken}` };
  const publicUrl = `${f.url}/public/${f.clusterId}/default/web/`;
  let next = 0;
  const targets: [string, (() => Promise<number>) | string][] = [
    ["pods directly (pod IPs)", () => getStatus(`http://${pods[next++ % pods.length].ip}:8080/`, direct)],
    [
      "services/proxy (API, token)",
      () => getStatus(`${f.clusterUrl}/api/v1/namespaces/default/services/web:http/proxy/`, secure, token),
    ],
    ["public URL", await publicProbe(publicUrl, secure)],
  ];
  const samples = new Map<string, Figures[]>();
  for (let round = 0; round < opts.rounds; round++)
    for (const concurrency of CONCURRENCY)
      for (const [label, fn] of targets) {
        if (typeof fn === "string") continue;
        const key = `${label}|${concurrency}`;
        const figures = await measure(fn, opts.requests * (concurrency > 1 ? 2 : 1), concurrency);
        samples.set(key, [...(samples.get(key) ?? []), figures]);
      }
  direct.destroy();
  secure.destroy();
  console.log(
    `\nHTTP GET of a small page, 3 busybox httpd pods; medians of ${opts.rounds} interleaved rounds of ` +
      `${opts.requests} (1 at a time) / ${opts.requests * 2} (8 at a time) requests:`,
  );
  console.log(
    `  ${"path".padEnd(30)} ${"conc".padStart(4)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}  failed`,
  );
  for (const concurrency of CONCURRENCY)
    for (const [label, fn] of targets) {
      const head = `  ${label.padEnd(30)} ${String(concurrency).padStart(4)}`;
      if (typeof fn === "string") {
        console.log(`${head}   ${fn}`);
        continue;
      }
      const runs = samples.get(`${label}|${concurrency}`) ?? [];
      const m = (pick: (x: Figures) => number) => median(runs.map(pick));
      console.log(
        `${head} ${fmt(
          m((x) => x.rps),
          0,
        ).padStart(
          8,
        )} ${fmt(m((x) => x.p50)).padStart(8)} ${fmt(m((x) => x.p99)).padStart(8)}  ${runs.reduce((a, x) => a + x.failures, 0)}`,
      );
    }
  console.log(`  public URL: ${publicUrl}`);
}

/** The public URL's measure function when it serves the pods, or the reason it is left out. */
async function publicProbe(url: string, agent: https.Agent): Promise<(() => Promise<number>) | string> {
  const status = await getStatus(url, agent).catch((e: Error) => e.message);
  if (status === 200) return () => getStatus(url, agent);
  return `not available (${typeof status === "number" ? `HTTP ${status}` : status})`;
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
