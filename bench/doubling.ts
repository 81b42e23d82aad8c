// Issue 22's memory goal and its doubling test: one cluster object under wrangler dev holding N pods
// (seeded into its SQLite while stopped: bench/memory-seed.ts), for N doubling (12.5k … 100k). At each
// size: restart → first page (limit=500) and → the whole paged walk, the walk warm (per-page p50/p99),
// workerd's RSS, then each per-request/per-sync/per-tick path's CPU per operation; at the end the ratio
// of each cost at 2N to its cost at N (≈1 constant, ≈2 linear, ≈4 quadratic).
// Run: `npx tsx bench/doubling.ts [--pods 12500,25000,50000,100000]`; prints figures only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { CpuProfiler, INSPECTOR_PORT_ENV, printProfile } from "./cpu-profile.ts";
import { type PathCost, measurePaths } from "./doubling-paths.ts";
import { createClient, type BenchClient } from "./http.ts";
import { findObjectDatabase, makeTemplates, seedPods } from "./memory-seed.ts";
import { rssBytes, workerdByRole } from "./procs.ts";
import { startBenchServer } from "./server.ts";
import { percentile, round } from "./stats.ts";

const PODS = "/api/v1/namespaces/default/pods";
const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Walk {
  pods: number;
  pages: number;
  totalMs: number;
  pageP50Ms: number;
  pageP99Ms: number;
}

/** Every pod, 500 at a time, following continue tokens as kubectl does. */
async function walk(client: BenchClient): Promise<Walk> {
  const pageMs: number[] = [];
  let pods = 0;
  let token: string | undefined;
  const started = performance.now();
  do {
    const q = `${PODS}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ""}`;
    const res = await client.request("GET", q);
    if (res.status !== 200) throw new Error(`list page: HTTP ${res.status} ${res.body.slice(0, 200)}`);
    const body = JSON.parse(res.body) as { items: unknown[]; metadata: { continue?: string } };
    pageMs.push(res.elapsedMs);
    pods += body.items.length;
    token = body.metadata.continue;
  } while (token);
  const sorted = [...pageMs].sort((a, b) => a - b);
  return {
    pods,
    pages: pageMs.length,
    totalMs: performance.now() - started,
    pageP50Ms: percentile(sorted, 50),
    pageP99Ms: percentile(sorted, 99),
  };
}

/** Polls the first page until it answers (the first request after a restart loads the object). */
async function firstPage(client: BenchClient, want: number): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      const res = await client.request("GET", `${PODS}?limit=500`);
      if (res.status === 200) {
        const meta = JSON.parse(res.body).metadata;
        if (Number(meta.remainingItemCount ?? 0) + 500 >= want) return performance.now();
      }
    } catch {
      // not up yet
    }
    if (i > 20_000) throw new Error("no first page after the restart");
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Step {
  pods: number;
  seedMs: number;
  healthzToFirstPageMs: number;
  healthzToWalkedMs: number;
  coldWalk: Walk;
  warmWalk: Walk;
  rssMiB: number;
  load: string;
  paths: PathCost[];
}

async function main(): Promise<void> {
  const sizes = (flag("--pods") ?? "12500,25000,50000,100000").split(",").map(Number);
  // Where the object's CPU goes from its restart to the end of the first walk, at the last size.
  const profileFile = flag("--cpu-profile");
  if (profileFile) process.env[INSPECTOR_PORT_ENV] ??= "9239";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-doubling-"));
  log(`starting wrangler dev; sizes ${sizes.join(", ")}; load ${load()}`);
  const server = await startBenchServer({ keep: false, live: false });
  const steps: Step[] = [];
  try {
    // The same home and port after a restart: the same URL and tokens (server.flotilla is unset until it is up).
    const f0 = server.flotilla;
    const clients = () => {
      const f = f0;
      const make = (token: string) => createClient({ baseUrl: f.clusterUrl, token, caPem: f.caPem, maxSockets: 4 });
      return { admin: make(f.adminToken), node: make(t.credential) };
    };
    const setup = createClient({ baseUrl: f0.clusterUrl, token: f0.adminToken, caPem: f0.caPem, maxSockets: 4 });
    log("the template: a Deployment of one replica Running on a simulated node");
    const t = await makeTemplates(f0, setup, dir);
    setup.close();
    const db = findObjectDatabase(path.join(server.home, "state"));
    let seeded = 1;
    for (const [step, size] of sizes.entries()) {
      let seedMs = 0;
      let firstAt: Promise<number> | undefined;
      let c = clients();
      let profiler: Promise<CpuProfiler> | undefined;
      log(`restarting with ${size} pods seeded`);
      const timings = await server.restart(
        () => {
          c = clients();
          if (profileFile && step === sizes.length - 1)
            profiler = CpuProfiler.connect(Number(process.env[INSPECTOR_PORT_ENV])).then(async (p) => {
              await p.start();
              return p;
            });
          firstAt = Promise.resolve(profiler).then(() => firstPage(c.admin, size));
        },
        () => {
          const r = seedPods(db, t, seeded, size);
          seedMs = r.sqlMs;
          seeded = size;
        },
      );
      const firstPageAt = await firstAt!;
      const coldWalk = await walk(c.admin);
      const walkedAt = performance.now();
      if (profiler) {
        const p = await profiler;
        printProfile(await p.stop(profileFile), 1, 40);
        p.close();
      }
      log(
        `first page ${round(firstPageAt - timings.healthzAt)} ms after healthz; cold walk ${round(coldWalk.totalMs)} ms`,
      );
      const warmWalk = await walk(c.admin);
      const pids = () => workerdByRole(server.flotilla.port).user;
      const rssMiB = rssBytes(pids()) / 1024 / 1024;
      log(`warm walk ${round(warmWalk.totalMs)} ms over ${warmWalk.pages} pages; RSS ${round(rssMiB)} MiB; paths …`);
      const paths = await measurePaths({ ...c, pids, t, pods: size, step });
      steps.push({
        pods: size,
        seedMs,
        healthzToFirstPageMs: firstPageAt - timings.healthzAt,
        healthzToWalkedMs: walkedAt - timings.healthzAt,
        coldWalk,
        warmWalk,
        rssMiB,
        load: load(),
        paths,
      });
      printStep(steps.at(-1)!);
      c.admin.close();
      c.node.close();
    }
    printRatios(steps);
    console.log(`BENCH_JSON ${JSON.stringify({ bench: "doubling", steps })}`);
  } finally {
    await server.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printStep(s: Step): void {
  console.log(`\n== ${s.pods.toLocaleString("en-US")} pods (load average ${s.load}) ==`);
  console.log(`seeded into SQLite in ${s.seedMs} ms; workerd RSS ${round(s.rssMiB)} MiB`);
  console.log(
    `restart: healthz → first page (limit=500) ${round(s.healthzToFirstPageMs)} ms, → whole paged walk ${round(s.healthzToWalkedMs)} ms`,
  );
  for (const [what, w] of [
    ["cold", s.coldWalk],
    ["warm", s.warmWalk],
  ] as const)
    console.log(
      `list walk (${what}): ${w.pods} pods in ${w.pages} pages, ${round(w.totalMs)} ms; page p50 ${round(w.pageP50Ms)} ms p99 ${round(w.pageP99Ms)} ms`,
    );
  for (const p of s.paths)
    console.log(
      `  ${p.path.padEnd(48)} ${String(Math.round(p.cpuUsPerOp)).padStart(8)} µs CPU/op  p50 ${round(p.p50Ms)} ms`,
    );
}

function printRatios(steps: Step[]): void {
  console.log(
    "\ncost at 2N ÷ cost at N (workerd CPU per op; warm page p50 for the list page): ≈1 constant, ≈2 linear, ≈4 quadratic",
  );
  const header = ["path", ...steps.slice(1).map((s, i) => `${steps[i].pods / 1000}k→${s.pods / 1000}k`)];
  console.log(header.map((h, i) => (i === 0 ? h.padEnd(48) : h.padStart(12))).join(""));
  const rows: [string, (s: Step) => number][] = [
    ["paged list page (limit=500), p50 ms", (s) => s.warmWalk.pageP50Ms],
    ["whole paged walk, ms", (s) => s.warmWalk.totalMs],
    ...steps[0].paths.map((p, i) => [p.path, (s: Step) => s.paths[i].cpuUsPerOp] as [string, (s: Step) => number]),
  ];
  for (const [name, value] of rows)
    console.log(
      name.padEnd(48) +
        steps
          .slice(1)
          .map((s, i) =>
            round(value(s) / value(steps[i]), 2)
              .toFixed(2)
              .padStart(12),
          )
          .join(""),
    );
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
