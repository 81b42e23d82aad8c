// Issue 7's workload benchmark (phases in bench/workloads-run.ts): simulated nodes join wrangler dev, a
// Deployment of R replicas is created and timed to all Ready/Available, then rolled.
// Run: `npx tsx bench/workloads.ts [--replicas 5000] [--nodes 1000] [--agent-processes 1]
//       [--rollouts 1] [--timeout-s 600] [--cpu-profile] [--hog]` (--cpu-profile: where workerd's CPU goes
//       while the replicas are created, per replica; --hog: a busy loop takes one core for the whole run).
// BENCH_PROGRESS=1 adds a pod breakdown (created, unbound, Running) to the progress lines, at the cost of listing
// every pod three times every 5 s. BENCH_PROBE=1 times a GET once a second on each hop (bench/probe.ts) and prints
// their latencies at the end: how long a user's request waits while the nodes are busy.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { numberFlag } from "./args.ts";
import { CpuProfiler, INSPECTOR_PORT_ENV } from "./cpu-profile.ts";
import { startBenchFlotilla } from "./flotilla.ts";
import { startHog } from "./hog.ts";
import { printJson } from "./report.ts";
import { median } from "./stats.ts";
import { log, printPhases, runWorkloads, seconds } from "./workloads-run.ts";

async function main(): Promise<void> {
  const replicas = numberFlag("--replicas", 5000);
  const nodes = numberFlag("--nodes", 1000);
  const processes = numberFlag("--agent-processes", 1);
  const rollouts = numberFlag("--rollouts", 1);
  const timeoutMs = numberFlag("--timeout-s", 600) * 1000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-bench-workloads-"));
  log(`starting wrangler dev (snapshot of the sources in ${dir}) …`);
  if (process.argv.includes("--cpu-profile")) process.env[INSPECTOR_PORT_ENV] ??= "9239";
  const hog = process.argv.includes("--hog") ? startHog() : undefined;
  if (hog) log("a CPU hog (a busy loop in a child process) takes one core for the whole run");
  const f = await startBenchFlotilla(dir);
  const port = Number(process.env[INSPECTOR_PORT_ENV]);
  const profiler = port ? await CpuProfiler.connect(port) : undefined;
  try {
    const phases = await runWorkloads(f, { replicas, nodes, processes, rollouts, timeoutMs, dir, profiler });
    const rolls = phases.filter((p) => p.name.startsWith("rolling") && p.reached);
    printPhases(
      `Deployment of ${replicas} replicas over ${nodes} simulated nodes (agent processes: ${processes})`,
      phases,
    );
    if (rolls.length > 1) console.log(`median rolling update: ${seconds(median(rolls.map((p) => p.ms)))}`);
    if (hog) console.log(`CPU hog: ${seconds(hog.cpuMs())} of CPU over the run`);
    console.log(
      `load average: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    console.log(
      "CPU/tick is all of workerd's CPU in the phase (API, agent syncs, scheduler and controllers) over the alarm ticks: an upper bound.",
    );
    printJson({ bench: "workloads", replicas, nodes, processes, hog: !!hog, loadavg: os.loadavg(), phases });
  } finally {
    hog?.stop();
    profiler?.close();
    await f.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
