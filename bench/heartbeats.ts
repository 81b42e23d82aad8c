// Heartbeat capacity of one cluster object (issue 5, issue 22): N nodes join with a join token and open
// their tunnels as the agent does, then each syncs every 10 s (waitSeconds 0, nothing changed: the steady
// state of an idle cluster), open-loop at a fixed rate. Per step and transport: syncs/s answered, sync
// latency p50/p99, workerd's process CPU (share of a core, and ms per sync), the load average, and whether
// the revision counter moved (it must not: renewals are not written to the store).
// Transports (`--modes`, run in the order given, so `http,tunnel,http,tunnel` is an A/B/A/B in one run):
//   tunnel: the agent's own path (agent/tunnel/sync-transport.ts): a `sync` frame on the node's tunnel;
//   http:   POST /agent/sync per heartbeat, as agents did before syncs rode the tunnel.
// The tunnels stay open in both (a real agent keeps its tunnel either way, its pings included).
// Run: `npx tsx bench/heartbeats.ts [--nodes 1000,2000,3000,5000] [--seconds 30] [--direct]
//       [--modes tunnel] [--cpu-profile file.cpuprofile]` (the last: where the object's CPU goes in the
//       last step, one file per transport: file.<mode>.cpuprofile).
import os from "node:os";
import { performance } from "node:perf_hooks";
import { AGENT_JOIN_PATH, AGENT_SYNC_PATH } from "../kube/agent-protocol.ts";
import { TunnelClient } from "../agent/tunnel/client.ts";
import { directEntryUrl } from "./direct.ts";
import { type BenchClient, createClient } from "./http.ts";
import { runLoad } from "./load.ts";
import { CpuProfiler, INSPECTOR_PORT_ENV, printProfile } from "./cpu-profile.ts";
import { cpuMs, workerdPids } from "./procs.ts";
import { startBenchServer } from "./server.ts";
import { median, round, summarize } from "./stats.ts";

const INTERVAL_MS = 10_000;
const json = { "content-type": "application/json" };

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const joinBody = (nodeName: string) =>
  JSON.stringify({
    nodeName,
    capacity: { cpu: "4", memory: "8Gi", pods: "110" },
    allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
    nodeInfo: {
      architecture: "amd64",
      operatingSystem: "linux",
      osImage: "bench",
      kernelVersion: "6",
      containerRuntimeVersion: "simulated://1.0.0",
      kubeletVersion: "v1.32.0-flotilla",
      kubeProxyVersion: "",
      machineID: nodeName,
      systemUUID: nodeName,
      bootID: nodeName,
    },
    addresses: [{ type: "InternalIP", address: "192.0.2.1" }],
    labels: {},
  });

const syncBody = (nodeName: string) =>
  JSON.stringify({ nodeName, podStatuses: [], terminated: [], events: [], known: [], waitSeconds: 0 });

/**
 * A request again after a dropped connection (a keep-alive socket the server closed as it was reused, seen
 * on a loaded machine as "socket hang up"); a join is idempotent (a re-join replaces the credential).
 */
async function retried<T>(send: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await send();
    } catch (error) {
      if (i >= attempts) throw error;
    }
  }
}

async function revision(admin: BenchClient): Promise<string> {
  const res = await retried(() => admin.request("GET", "/api/v1/namespaces?limit=1"));
  return JSON.parse(res.body).metadata.resourceVersion;
}

type Mode = "http" | "tunnel";

/** One node's sync by the transport chosen: its latency in ms, or a failure. */
type SendSync = (n: number) => Promise<number | undefined>;

function httpSync(client: BenchClient, credentials: string[]): SendSync {
  return (n) =>
    client
      .request("POST", AGENT_SYNC_PATH, {
        body: syncBody(`hb-${n}`),
        headers: { ...json, authorization: `Bearer ${credentials[n]}` },
      })
      .then(
        (res) => (res.status === 200 ? res.elapsedMs : undefined),
        () => undefined,
      );
}

function tunnelSync(tunnels: TunnelClient[]): SendSync {
  return async (n) => {
    const started = performance.now();
    try {
      await tunnels[n].sync(syncBody(`hb-${n}`), { timeoutMs: 120_000 });
      return performance.now() - started;
    } catch {
      return undefined;
    }
  };
}

/**
 * Waits until the revision stays put for 3 s: joins leave controllers work (node IPAM gives each new node a
 * pod CIDR, events) that would otherwise be counted as the syncs' cost. Gives up after 10 minutes.
 */
async function quiet(admin: BenchClient): Promise<void> {
  const deadline = Date.now() + 600_000;
  let last = await revision(admin);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 3_000));
    const now = await revision(admin);
    if (now === last) return;
    last = now;
  }
}

/** Every node syncs once per interval, spread evenly: open loop, so a slow object shows as latency. */
async function steady(send: SendSync, nodes: number, seconds: number) {
  const latencies: number[] = [];
  let failures = 0;
  const gapMs = INTERVAL_MS / nodes;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; performance.now() - started < seconds * 1000; i++) {
    const due = started + i * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      send(i % nodes).then((ms) => {
        if (ms === undefined) failures++;
        else latencies.push(ms);
      }),
    );
  }
  await Promise.all(inFlight);
  return { latencies, failures, wallMs: performance.now() - started };
}

/** Opens the nodes' tunnels (16 at a time) and waits until each is up. */
async function openTunnels(tunnels: TunnelClient[], base: string, ca: string, credentials: string[], from: number) {
  for (let i = from; i < credentials.length; i++)
    tunnels[i] = new TunnelClient({ server: base, ca, credential: credentials[i], handlers: {}, log: () => {} });
  for (let i = from; i < credentials.length; i += 16) {
    const batch = tunnels.slice(i, i + 16);
    for (const t of batch) t.start();
    const deadline = Date.now() + 120_000;
    while (!batch.every((t) => t.connected)) {
      if (Date.now() > deadline) throw new Error("tunnels did not connect within 120 s");
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

interface Row {
  mode: Mode;
  nodes: number;
  rate: number;
  p50: number;
  p99: number;
  cpuMsPerSync: number;
}

async function main(): Promise<void> {
  const steps = (flag("--nodes") ?? "1000,2000,3000,5000").split(",").map(Number);
  const seconds = Number(flag("--seconds") ?? "30");
  const modes = (flag("--modes") ?? "tunnel").split(",") as Mode[];
  if (modes.some((m) => m !== "http" && m !== "tunnel")) throw new Error("--modes takes http and tunnel");
  const profileFile = flag("--cpu-profile");
  if (profileFile) process.env[INSPECTOR_PORT_ENV] ??= "9239";
  const server = await startBenchServer({ keep: false, live: false });
  const tunnels: TunnelClient[] = [];
  try {
    const f = server.flotilla;
    const base = process.argv.includes("--direct")
      ? `${await directEntryUrl(f.port)}/clusters/${f.clusterId}`
      : f.clusterUrl;
    const joinToken = await f.createJoinToken(3600);
    const client = createClient({ baseUrl: base, token: joinToken, caPem: f.caPem, maxSockets: 64 });
    const admin = createClient({ baseUrl: f.clusterUrl, token: f.adminToken, caPem: f.caPem, maxSockets: 2 });
    const credentials: string[] = [];
    const rows: Row[] = [];
    console.log(`heartbeats: nodes syncing every ${INTERVAL_MS / 1000} s, ${seconds} s per step, via ${base}`);
    console.log("mode    nodes  syncs/s  p50 ms  p99 ms  failures  workerd CPU  ms/sync  load1  revision moved");
    for (const target of steps) {
      const from = credentials.length;
      await runLoad(
        target - from,
        16,
        (i) =>
          retried(() => client.request("POST", AGENT_JOIN_PATH, { body: joinBody(`hb-${from + i}`), headers: json })),
        (res, i) => {
          if (res.status !== 200 && res.status !== 201) throw new Error(`join: ${res.status} ${res.body}`);
          credentials[from + i] = JSON.parse(res.body).nodeCredential;
        },
      );
      await openTunnels(tunnels, base, f.caPem, credentials, from);
      for (const [m, mode] of modes.entries()) {
        const send = mode === "http" ? httpSync(client, credentials) : tunnelSync(tunnels);
        // One round so every node has sent its first sync (node status) before measuring.
        if (m === 0) {
          await quiet(admin);
          await steady(send, target, INTERVAL_MS / 1000);
        }
        const before = await revision(admin);
        const pids = workerdPids();
        const profiling = profileFile && target === steps.at(-1);
        const profiler = profiling ? await CpuProfiler.connect(Number(process.env[INSPECTOR_PORT_ENV])) : undefined;
        await profiler?.start();
        const cpuBefore = cpuMs(pids);
        const run = await steady(send, target, seconds);
        const cpuUsed = cpuMs(pids) - cpuBefore;
        const profile = await profiler?.stop(profileFile?.replace(/(\.cpuprofile)?$/, `.${mode}.cpuprofile`));
        profiler?.close();
        const after = await revision(admin);
        const load1 = os.loadavg()[0];
        const s = summarize(run.latencies);
        const rate = (run.latencies.length / run.wallMs) * 1000;
        const cpuMsPerSync = run.latencies.length ? cpuUsed / run.latencies.length : 0;
        rows.push({ mode, nodes: target, rate, p50: s.p50Ms, p99: s.p99Ms, cpuMsPerSync });
        console.log(
          `${mode.padEnd(7)} ${String(target).padEnd(6)} ${String(round(rate)).padEnd(8)} ${String(round(s.p50Ms)).padEnd(7)} ${String(round(s.p99Ms)).padEnd(7)} ${String(run.failures).padEnd(9)} ${`${round((cpuUsed / run.wallMs) * 100)}%`.padEnd(12)} ${String(round(cpuMsPerSync, 2)).padEnd(8)} ${String(round(load1, 2)).padEnd(6)} ${before === after ? "no" : `yes (${before} → ${after})`}`,
        );
        console.log(
          `BENCH_JSON ${JSON.stringify({ bench: "heartbeats", mode, nodes: target, syncsPerSecond: rate, p50Ms: s.p50Ms, p99Ms: s.p99Ms, failures: run.failures, workerdCpuShare: cpuUsed / run.wallMs, workerdCpuMsPerSync: cpuMsPerSync, loadAverage1: load1, revisionBefore: before, revisionAfter: after })}`,
        );
        if (profile) printProfile(profile, run.latencies.length);
      }
    }
    printMedians(rows);
    client.close();
    admin.close();
  } finally {
    await Promise.all(tunnels.map((t) => t.stop()));
    await server.dispose();
  }
}

/** Medians per transport and step, when a transport ran more than once (A/B/A/B). */
function printMedians(rows: Row[]): void {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(`${r.mode} ${r.nodes}`, [...(groups.get(`${r.mode} ${r.nodes}`) ?? []), r]);
  if ([...groups.values()].every((g) => g.length < 2)) return;
  console.log("medians: mode nodes  syncs/s  p50 ms  p99 ms  ms/sync (runs)");
  for (const [key, g] of groups) {
    const m = (pick: (r: Row) => number) => round(median(g.map(pick)), 2);
    console.log(
      `medians: ${key}  ${m((r) => r.rate)}  ${m((r) => r.p50)}  ${m((r) => r.p99)}  ${m((r) => r.cpuMsPerSync)} (${g.length})`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
