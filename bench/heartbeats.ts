// Heartbeat capacity of one cluster object (issue 5): N nodes join with a join token, then each syncs
// every 10 s (waitSeconds 0, nothing changed: the steady state of an idle cluster), open-loop at a
// fixed rate. Per step: sync latency p50/p99, workerd CPU share, and whether the revision counter
// moved (it must not: renewals are not written to the store).
// Run: `npx tsx bench/heartbeats.ts [--nodes 1000,2000,3000,5000] [--seconds 30] [--direct]
//       [--cpu-profile file.cpuprofile]` (the last: where the object's CPU goes in the last step).
import { performance } from "node:perf_hooks";
import { AGENT_JOIN_PATH, AGENT_SYNC_PATH } from "../kube/agent-protocol.ts";
import { directEntryUrl } from "./direct.ts";
import { type BenchClient, createClient } from "./http.ts";
import { runLoad } from "./load.ts";
import { CpuProfiler, INSPECTOR_PORT_ENV, printProfile } from "./cpu-profile.ts";
import { cpuMs, workerdPids } from "./procs.ts";
import { startBenchServer } from "./server.ts";
import { round, summarize } from "./stats.ts";

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

async function revision(admin: BenchClient): Promise<string> {
  const res = await admin.request("GET", "/api/v1/namespaces?limit=1");
  return JSON.parse(res.body).metadata.resourceVersion;
}

/** Every node syncs once per interval, spread evenly: open loop, so a slow object shows as latency. */
async function steady(client: BenchClient, credentials: string[], seconds: number) {
  const latencies: number[] = [];
  let failures = 0;
  const gapMs = INTERVAL_MS / credentials.length;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; performance.now() - started < seconds * 1000; i++) {
    const due = started + i * gapMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const n = i % credentials.length;
    inFlight.push(
      client
        .request("POST", AGENT_SYNC_PATH, {
          body: syncBody(`hb-${n}`),
          headers: { ...json, authorization: `Bearer ${credentials[n]}` },
        })
        .then(
          (res) => {
            if (res.status === 200) latencies.push(res.elapsedMs);
            else failures++;
          },
          () => {
            failures++;
          },
        ),
    );
  }
  await Promise.all(inFlight);
  return { latencies, failures, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  const steps = (flag("--nodes") ?? "1000,2000,3000,5000").split(",").map(Number);
  const seconds = Number(flag("--seconds") ?? "30");
  const profileFile = flag("--cpu-profile");
  if (profileFile) process.env[INSPECTOR_PORT_ENV] ??= "9239";
  const server = await startBenchServer({ keep: false, live: false });
  try {
    const f = server.flotilla;
    const base = process.argv.includes("--direct")
      ? `${await directEntryUrl(f.port)}/clusters/${f.clusterId}`
      : f.clusterUrl;
    const joinToken = await f.createJoinToken(3600);
    const client = createClient({ baseUrl: base, token: joinToken, caPem: f.caPem, maxSockets: 64 });
    const admin = createClient({ baseUrl: f.clusterUrl, token: f.adminToken, caPem: f.caPem, maxSockets: 2 });
    const credentials: string[] = [];
    console.log(`heartbeats: nodes syncing every ${INTERVAL_MS / 1000} s, ${seconds} s per step, via ${base}`);
    console.log("nodes  syncs/s  p50 ms  p99 ms  failures  workerd CPU  revision moved");
    for (const target of steps) {
      const from = credentials.length;
      await runLoad(
        target - from,
        16,
        (i) => client.request("POST", AGENT_JOIN_PATH, { body: joinBody(`hb-${from + i}`), headers: json }),
        (res, i) => {
          if (res.status !== 200 && res.status !== 201) throw new Error(`join: ${res.status} ${res.body}`);
          credentials[from + i] = JSON.parse(res.body).nodeCredential;
        },
      );
      // One round so every node has sent its first sync (node status) before measuring.
      await steady(client, credentials, INTERVAL_MS / 1000);
      const before = await revision(admin);
      const pids = workerdPids();
      const profiler =
        profileFile && target === steps.at(-1)
          ? await CpuProfiler.connect(Number(process.env[INSPECTOR_PORT_ENV]))
          : undefined;
      await profiler?.start();
      const cpuBefore = cpuMs(pids);
      const run = await steady(client, credentials, seconds);
      const cpu = (cpuMs(pids) - cpuBefore) / run.wallMs;
      const profile = await profiler?.stop(profileFile);
      profiler?.close();
      const after = await revision(admin);
      const s = summarize(run.latencies);
      const rate = (run.latencies.length / run.wallMs) * 1000;
      console.log(
        `${String(target).padEnd(6)} ${String(round(rate)).padEnd(8)} ${String(round(s.p50Ms)).padEnd(7)} ${String(round(s.p99Ms)).padEnd(7)} ${String(run.failures).padEnd(9)} ${`${round(cpu * 100)}%`.padEnd(12)} ${before === after ? "no" : `yes (${before} → ${after})`}`,
      );
      console.log(
        `BENCH_JSON ${JSON.stringify({ bench: "heartbeats", nodes: target, syncsPerSecond: rate, p50Ms: s.p50Ms, p99Ms: s.p99Ms, failures: run.failures, workerdCpuShare: cpu, revisionBefore: before, revisionAfter: after })}`,
      );
      if (profile) printProfile(profile, run.latencies.length);
    }
    client.close();
    admin.close();
  } finally {
    await server.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
