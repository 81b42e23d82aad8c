// The server the Podman benchmarks measure: wrangler dev on a free port, on a snapshot of the sources (so
// edits made while a benchmark runs do not reach it), a temporary home under `dir`, no local agent.
import path from "node:path";
import { findFreePort, type RunningFlotilla, startFlotilla } from "../scripts/local/flotilla.ts";
import { snapshotSources } from "./snapshot.ts";

export async function startBenchFlotilla(dir: string): Promise<RunningFlotilla> {
  return startFlotilla({
    home: path.join(dir, "home"),
    port: await findFreePort(),
    root: snapshotSources(dir),
    quiet: !process.env.BENCH_WRANGLER_OUTPUT,
    agent: false,
    readyTimeoutMs: 120_000,
  });
}
