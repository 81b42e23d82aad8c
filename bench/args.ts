// Command-line flags of `npm run bench`.

export interface BenchArgs {
  pods: number;
  concurrency: number;
  /** Keep FLOTILLA_HOME after the run (to inspect the SQLite file or rerun against it). */
  keep: boolean;
  /** Instead of the full run: 1,000 creates and the per-phase latencies measurable from outside. */
  profile: boolean;
  /** Serve the checkout itself rather than a snapshot (others' edits then restart workerd mid-run). */
  live: boolean;
  /** Send the load to the user workerd's own socket, skipping wrangler's proxy (local-dev plumbing). */
  direct: boolean;
  /** The no-op and create loads against both local servers (Miniflare's entry socket, wrangler dev), alternating. */
  compareServers: boolean;
  /** Profile the object's JavaScript during N creates (the inspector opens on FLOTILLA_INSPECTOR_PORT, default 9239). */
  cpuProfile: boolean;
  /** With --compare-servers: compare this checkout against the one at this path, both on npm start's server. */
  baseline?: string;
}

export const USAGE = `usage: npm run bench -- [--pods N] [--concurrency N] [--keep] [--profile] [--live] [--direct]
  --pods N          pods to create (default 10000)
  --concurrency N   concurrent clients (default 16)
  --keep            keep the temporary FLOTILLA_HOME
  --profile         1,000 creates; prints where a request's time goes, phase by phase
  --live            serve the checkout itself, not a snapshot of its sources (edits then reload workerd)
  --direct          load the user workerd's own HTTP socket, skipping wrangler's proxy (restart still uses it)
  --compare-servers no-ops and creates (N/3 per round) against the Miniflare server and wrangler dev, A/B/A`;

function positiveInt(flag: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    pods: 10_000,
    concurrency: 16,
    keep: false,
    profile: false,
    live: false,
    direct: false,
    compareServers: false,
    cpuProfile: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--pods") args.pods = positiveInt(flag, argv[++i]);
    else if (flag === "--concurrency") args.concurrency = positiveInt(flag, argv[++i]);
    else if (flag === "--keep") args.keep = true;
    else if (flag === "--profile") args.profile = true;
    else if (flag === "--live") args.live = true;
    else if (flag === "--direct") args.direct = true;
    else if (flag === "--compare-servers") args.compareServers = true;
    else if (flag === "--cpu-profile") args.cpuProfile = true;
    else if (flag === "--baseline") args.baseline = argv[++i];
    else throw new Error(`unknown flag ${flag}\n${USAGE}`);
  }
  return args;
}

/** A numeric `--name value` flag of a standalone benchmark script, or the fallback when absent. */
export function numberFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
