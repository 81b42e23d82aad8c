// The workload benchmark's phases, for bench/workloads.ts and the scale test in `npm test`: simulated
// nodes join a running server, a Deployment of R replicas is created and timed to all Ready/Available,
// then its template changes and each full rolling update is timed until every replica is updated and
// the old ReplicaSets are at 0. For each phase: the controllers' alarm ticks and reconciles
// (GET /debug/controllers) and workerd's CPU time.
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type AgentHandle, runAgent } from "../agent/index.ts";
import type { RunningFlotilla } from "../scripts/local/flotilla.ts";
import { repoRoot } from "../scripts/local/home.ts";
import { spawnGroup } from "../scripts/local/process-group.ts";
import { agentArgs } from "../scripts/local/local-agent.ts";
import { type BenchClient, createClient } from "./http.ts";
import { startProbe } from "./probe.ts";
import { type CpuProfiler, printProfile } from "./cpu-profile.ts";
import { cpuMs, selfCpuMs, workerdByRole } from "./procs.ts";
import { round } from "./stats.ts";
import type { AnyJson as Json } from "../kube/types.ts";

const APPS = "/apis/apps/v1/namespaces/default";
const NAME = "bench";
const POLL_MS = 500;
const PROGRESS_MS = 5_000;
const JSON_HEADERS = { "content-type": "application/json" };
export const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

interface Counters {
  at: number;
  ticks: number;
  emptyTicks: number;
  reconciles: number;
  workerdCpuMs: number;
  agentCpuMs: number;
  /** Syncs the agents got answers to (in-process agents only; 0 with --agent-processes > 1). */
  syncs: number;
}

export interface Phase {
  name: string;
  /** What the phase moves (nodes joined, replicas made Ready or rolled): "per s" is this over the time. */
  count: number;
  /** Wall time to the goal, or to the timeout when it was not reached. */
  ms: number;
  reached: boolean;
  /** What the phase got to (e.g. "ready 5000/5000"). */
  state: string;
  ticks: number;
  emptyTicks: number;
  reconciles: number;
  workerdCpuMs: number;
  agentCpuMs: number;
  /** Syncs the agents got answers to (in-process agents only; 0 with --agent-processes > 1). */
  syncs: number;
}

async function getJson(client: BenchClient, p: string): Promise<Json> {
  const res = await client.request("GET", p);
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body);
}

/** Snapshots of everything a phase is charged with. */
function counterReader(client: BenchClient, port: number, fleet: () => Fleet | undefined) {
  return async (): Promise<Counters> => {
    const stats = await getJson(client, "/debug/controllers");
    const pids = fleet()?.pids() ?? [];
    return {
      at: performance.now(),
      ticks: stats.ticks,
      emptyTicks: stats.emptyTicks,
      reconciles: stats.reconciles,
      workerdCpuMs: cpuMs(workerdByRole(port).user),
      agentCpuMs: pids.length ? cpuMs(pids) : selfCpuMs(),
      syncs: fleet()?.syncs() ?? 0,
    };
  };
}

/** Polls `check` until it says done or the timeout passes; logs progress every 10 s. */
async function phase(
  name: string,
  count: number,
  read: () => Promise<Counters>,
  timeoutMs: number,
  check: () => Promise<{ done: boolean; state: string }>,
  start: () => Promise<void> = async () => {},
  progress?: () => Promise<string>,
): Promise<Phase> {
  const before = await read();
  await start();
  let lastLog = before.at;
  let result = { done: false, state: "" };
  let reading = false;
  for (;;) {
    // A check that got no answer in time is logged and tried again: the phase's clock, not one request, ends it.
    result = await check().catch((e: Error) => {
      if (!/timed out/.test(e.message)) throw e;
      log(`${name}: ${e.message}`);
      return result;
    });
    const now = performance.now();
    if (result.done || now - before.at > timeoutMs) break;
    if (now - lastLog > PROGRESS_MS && !reading) {
      // Progress is for the log only, read beside the check and never awaited by it: its lists of every pod
      // are slow on a busy object (once ~55 s at 5,000 pods), and awaited they delayed the phase's end by as much.
      const at = `${((now - before.at) / 1000).toFixed(0)} s`;
      const state = result.state;
      reading = progress !== undefined;
      void (progress?.() ?? Promise.resolve(""))
        .catch((e: Error) => `progress: ${e.message}`)
        .then((detail) => log(`${name}: ${state}${detail ? `; ${detail}` : ""} at ${at}`))
        .finally(() => (reading = false));
      lastLog = now;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const after = await read();
  // wrangler dev reloads the worker when a watched file changes (node_modules is linked, not
  // copied): the object restarts with fresh counters, so this phase's figures are partial.
  const restarted = after.ticks < before.ticks;
  if (restarted) Object.assign(before, { ticks: 0, emptyTicks: 0, reconciles: 0, workerdCpuMs: 0 });
  if (restarted) result.state += " (the worker restarted during the phase: counters and CPU since then)";
  const p: Phase = {
    name,
    count,
    ms: after.at - before.at,
    reached: result.done,
    state: result.state,
    ticks: after.ticks - before.ticks,
    emptyTicks: after.emptyTicks - before.emptyTicks,
    reconciles: after.reconciles - before.reconciles,
    workerdCpuMs: after.workerdCpuMs - before.workerdCpuMs,
    agentCpuMs: after.agentCpuMs - before.agentCpuMs,
    syncs: after.syncs - before.syncs,
  };
  log(`${name}: ${p.reached ? "done" : "TIMED OUT"} in ${(p.ms / 1000).toFixed(1)} s (${p.state})`);
  return p;
}

function deploymentManifest(replicas: number): string {
  const labels = { app: NAME };
  return JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: NAME },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "nginx:1.27" }] } },
    },
  });
}

/** Nodes: in this process (one runAgent call), or split over child `flotilla agent` processes. */
interface Fleet {
  pids(): number[];
  syncs(): number;
  stop(): Promise<void>;
}

async function startNodes(f: RunningFlotilla, nodes: number, processes: number, dir: string): Promise<Fleet> {
  const joinToken = await f.createJoinToken(3600);
  if (processes <= 1) {
    const handle: AgentHandle = await runAgent(
      {
        server: f.clusterUrl,
        joinToken,
        name: "sim",
        runtime: "simulated",
        stateDir: path.join(dir, "agents"),
        caFile: f.caPath,
        labels: {},
        nodes,
        insecureSkipTlsVerify: false,
      },
      { log: () => {} },
    );
    return { pids: () => [] as number[], syncs: () => handle.syncs(), stop: () => handle.stop() };
  }
  const groups = Array.from({ length: processes }, (_, p) => {
    const count = Math.floor(nodes / processes) + (p < nodes % processes ? 1 : 0);
    const args = agentArgs({
      root: repoRoot,
      clusterUrl: f.clusterUrl,
      caPath: f.caPath,
      name: `sim${p}`,
      runtime: "simulated",
      stateDir: path.join(dir, "agents", `p${p}`),
      joinToken,
      logFile: "",
    });
    return spawnGroup({
      command: process.execPath,
      args: [path.join(repoRoot, "cli", "bin.mjs"), ...args, "--nodes", String(count)],
      cwd: repoRoot,
      env: process.env,
    });
  });
  return {
    pids: () => groups.map((g) => g.pid),
    syncs: () => 0,
    stop: async () => void (await Promise.all(groups.map((g) => g.stop(10_000)))),
  };
}

async function readyNodes(client: BenchClient): Promise<number> {
  const list = await getJson(client, "/api/v1/nodes");
  return list.items.filter((n: Json) =>
    n.status?.conditions?.some((c: Json) => c.type === "Ready" && c.status === "True"),
  ).length;
}

/** The rollout is complete: every replica updated and ready, the old ReplicaSets at 0. */
async function rolloutState(client: BenchClient, replicas: number): Promise<{ done: boolean; state: string }> {
  const d = await getJson(client, `${APPS}/deployments/${NAME}`);
  const s = d.status ?? {};
  const sets = (await getJson(client, `${APPS}/replicasets?labelSelector=app%3D${NAME}`)).items as Json[];
  const revision = d.metadata.annotations?.["deployment.kubernetes.io/revision"];
  const old = sets.filter((rs) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"] !== revision);
  const oldPods = old.reduce((n, rs) => n + (rs.spec.replicas ?? 0) + (rs.status?.replicas ?? 0), 0);
  const done =
    (s.observedGeneration ?? 0) >= d.metadata.generation &&
    s.updatedReplicas === replicas &&
    s.readyReplicas === replicas &&
    s.availableReplicas === replicas &&
    s.replicas === replicas &&
    oldPods === 0;
  const state = `updated ${s.updatedReplicas ?? 0} ready ${s.readyReplicas ?? 0} available ${s.availableReplicas ?? 0} total ${s.replicas ?? 0}, old sets' pods ${oldPods}`;
  return { done, state };
}

export const seconds = (ms: number) => `${round(ms / 1000, 1)} s`;

/**
 * How many objects match a field selector. Listed whole: with a selector the server leaves out
 * remainingItemCount (as upstream does, the count would be inexact), so a one-item page cannot tell.
 */
async function countOf(client: BenchClient, resource: string, fieldSelector: string): Promise<number> {
  const query = fieldSelector ? `?fieldSelector=${encodeURIComponent(fieldSelector)}` : "";
  const list = await getJson(client, `/api/v1/namespaces/default/${resource}${query}`);
  return list.items.length;
}

/** Where the replicas are on their way: created, still unbound, reported Running by their agents; scheduling failures. */
/**
 * The pod breakdown in the progress lines, only with BENCH_PROGRESS=1: it lists every pod three times, a load
 * of its own on the object being measured (and on a busy object such lists took up to a minute).
 */
function progressReader(client: BenchClient): (() => Promise<string>) | undefined {
  return process.env.BENCH_PROGRESS === "1" ? () => podProgress(client) : undefined;
}

async function podProgress(client: BenchClient): Promise<string> {
  const [all, unbound, running, failed] = await Promise.all([
    countOf(client, "pods", ""),
    countOf(client, "pods", "spec.nodeName="),
    countOf(client, "pods", "status.phase=Running"),
    countOf(client, "events", "reason=FailedScheduling"),
  ]);
  return `pods ${all}, unbound ${unbound}, Running ${running}, FailedScheduling events ${failed}`;
}

export function printPhases(title: string, phases: Phase[]): void {
  const head = [
    "phase",
    "time",
    "per s",
    "reached",
    "ticks",
    "empty",
    "reconciles",
    "workerd CPU",
    "CPU/tick",
    "agents CPU",
    "syncs",
  ];
  const rows = phases.map((p) => [
    p.name,
    seconds(p.ms),
    p.reached ? String(round(p.count / (p.ms / 1000), 1)) : "-",
    p.reached ? "yes" : `no: ${p.state}`,
    `${p.ticks} (${round(p.ticks / (p.ms / 1000), 1)}/s)`,
    String(p.emptyTicks),
    String(p.reconciles),
    seconds(p.workerdCpuMs),
    p.ticks ? `${round(p.workerdCpuMs / p.ticks, 1)} ms` : "-",
    seconds(p.agentCpuMs),
    String(p.syncs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(r));
}

export interface WorkloadOptions {
  replicas: number;
  nodes: number;
  /** Agent processes the nodes are split over; 1 runs them all in this process. */
  processes: number;
  rollouts: number;
  /** Each phase's limit: a phase still short of its goal then is reported as not reached. */
  timeoutMs: number;
  /** Where the agents keep their state. */
  dir: string;
  /** Samples the user worker's CPU over the create phase (the server must have its inspector open). */
  profiler?: CpuProfiler;
}

/** Runs the phases against a running server; stops its nodes before returning. */
export async function runWorkloads(f: RunningFlotilla, opts: WorkloadOptions): Promise<Phase[]> {
  const { replicas, nodes, processes, rollouts, timeoutMs, dir } = opts;
  let fleet: Fleet | undefined;
  let probe: ReturnType<typeof startProbe> | undefined;
  try {
    const client = createClient({ baseUrl: f.clusterUrl, token: f.adminToken, caPem: f.caPem, maxSockets: 4 });
    probe = process.env.BENCH_PROBE ? startProbe(f, log) : undefined;
    const phases: Phase[] = [];
    const read = counterReader(client, f.port, () => fleet);
    phases.push(
      await phase(
        `join ${nodes} nodes`,
        nodes,
        read,
        timeoutMs,
        async () => {
          const ready = await readyNodes(client);
          return { done: ready >= nodes, state: `${ready}/${nodes} Ready` };
        },
        async () => {
          fleet = await startNodes(f, nodes, processes, dir);
        },
      ),
    );
    await opts.profiler?.start();
    phases.push(
      await phase(
        `create ${replicas} → all ready`,
        replicas,
        read,
        timeoutMs,
        async () => {
          const s = (await getJson(client, `${APPS}/deployments/${NAME}`)).status ?? {};
          const done = s.readyReplicas === replicas && s.availableReplicas === replicas;
          return { done, state: `ready ${s.readyReplicas ?? 0} available ${s.availableReplicas ?? 0}` };
        },
        async () => {
          const res = await client.request("POST", `${APPS}/deployments`, {
            headers: JSON_HEADERS,
            body: deploymentManifest(replicas),
          });
          if (res.status !== 201) throw new Error(`create: ${res.status} ${res.body}`);
        },
        progressReader(client),
      ),
    );
    const profile = await opts.profiler?.stop();
    if (profile) printProfile(profile, replicas, 40);
    for (let i = 1; i <= rollouts && phases.every((p) => p.reached); i++) {
      const patch = JSON.stringify({
        spec: { template: { metadata: { annotations: { "bench/rollout": String(i) } } } },
      });
      phases.push(
        await phase(
          `rolling update #${i}`,
          replicas,
          read,
          timeoutMs,
          () => rolloutState(client, replicas),
          async () => {
            const res = await client.request("PATCH", `${APPS}/deployments/${NAME}`, {
              headers: { "content-type": "application/merge-patch+json" },
              body: patch,
            });
            if (res.status !== 200) throw new Error(`patch: ${res.status} ${res.body}`);
          },
          progressReader(client),
        ),
      );
    }
    client.close();
    return phases;
  } finally {
    if (probe) log(`probes:\n${probe.stop()}`);
    await fleet?.stop();
  }
}
