// `npm run bench -- --compare-servers`: the same no-op and create loads against both local servers, one
// run, rounds alternating A/B/A/B so machine load hits both alike: Miniflare's own entry socket
// (FLOTILLA_SERVER=miniflare) and wrangler's dev server (its proxy workerd and Node process in front of the same
// socket). Each server has its own home on the same snapshot of the sources. Prints medians per server.
// With --baseline DIR: this checkout against the sources in DIR, both on npm start's server (before/after, one run).
import { loadavg } from "node:os";
import { type LocalServer, localServer } from "../scripts/local/wrangler-dev.ts";
import type { BenchArgs } from "./args.ts";
import { createClient } from "./http.ts";
import { createPods, type LoadFigures, noopBaseline } from "./phases.ts";
import { workerdByRole } from "./procs.ts";
import { printTable, type Row } from "./report.ts";
import { startBenchServer } from "./server.ts";
import { median } from "./stats.ts";

interface Variant {
  name: string;
  server: LocalServer;
  sources?: string;
}

/** The two local servers on this checkout, or (with --baseline) this checkout against another on npm start's. */
function variants(args: BenchArgs): Variant[] {
  if (args.baseline)
    return [
      { name: "this checkout", server: localServer() },
      { name: "baseline", server: localServer(), sources: args.baseline },
    ];
  return [
    { name: "miniflare", server: "miniflare" },
    { name: "wrangler", server: "wrangler" },
  ];
}
const ROUNDS = 3;
const NOOP_REQUESTS = 1_000;

const log = (text: string) => console.error(`[compare] ${text}`);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

interface Round {
  noop: LoadFigures;
  create: LoadFigures;
}

export async function compareServers(args: BenchArgs): Promise<void> {
  const podsPerRound = Math.max(100, Math.floor(args.pods / ROUNDS));
  const servers = [];
  try {
    for (const { name, server, sources } of variants(args)) {
      log(`starting ${name} (${server} server)`);
      servers.push({ name, bench: await startBenchServer({ keep: args.keep, live: false, server, sources }) });
    }
    const rounds = new Map<string, Round[]>(servers.map((s) => [s.name, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const { name, bench } of r % 2 ? [...servers].reverse() : servers) {
        const f = bench.flotilla;
        const client = createClient({
          baseUrl: f.clusterUrl,
          token: f.adminToken,
          caPem: f.caPem,
          maxSockets: Math.max(16, args.concurrency),
        });
        try {
          const roles = workerdByRole(f.port, f.serverGroup);
          log(`round ${r + 1}, ${name}: ${NOOP_REQUESTS} no-ops, ${podsPerRound} creates (load ${load()})`);
          const step = <T>(what: string, p: Promise<T>) =>
            p.catch((err: Error) => {
              throw new Error(`round ${r + 1}, ${name}, ${what}: ${err.message}`);
            });
          const noop = await step("no-ops", noopBaseline(roles, client, NOOP_REQUESTS, args.concurrency));
          const namespace = `round-${r}`;
          const ns = JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
          const headers = { "content-type": "application/json" };
          await step("namespace", client.request("POST", "/api/v1/namespaces", { body: ns, headers }));
          const create = await step("creates", createPods(roles, client, podsPerRound, args.concurrency, namespace));
          rounds.get(name)!.push({ noop, create });
        } finally {
          client.close();
        }
      }
    }
    printComparison(rounds, args.concurrency);
  } finally {
    for (const { bench } of servers) await bench.dispose();
  }
}

function printComparison(rounds: Map<string, Round[]>, concurrency: number): void {
  const rows: Row[] = [];
  const med = (rs: Round[], pick: (r: Round) => number) => median(rs.map(pick));
  const out: Record<string, Record<string, number>> = {};
  for (const [name, rs] of rounds) {
    const fig = {
      noopPerSec: med(rs, (r) => r.noop.perSecond),
      noopP99Ms: med(rs, (r) => r.noop.latency.p99Ms),
      createPerSec: med(rs, (r) => r.create.perSecond),
      createP50Ms: med(rs, (r) => r.create.latency.p50Ms),
      createP99Ms: med(rs, (r) => r.create.latency.p99Ms),
      userCpuUsNoop: med(rs, (r) => r.noop.serverCpuUsPerRequest),
      userCpuUsCreate: med(rs, (r) => r.create.serverCpuUsPerRequest),
      proxyCpuUsNoop: med(rs, (r) => r.noop.proxyCpuUsPerRequest),
      toolingCpuUsNoop: med(rs, (r) => r.noop.toolingCpuUsPerRequest),
    };
    out[name] = fig;
    rows.push(
      {
        metric: `${name}: no-op`,
        value: `${fig.noopPerSec.toFixed(0)}/s`,
        note: `p99 ${fig.noopP99Ms.toFixed(1)} ms; CPU/req: user workerd ${fig.userCpuUsNoop.toFixed(0)} µs, proxy workerd ${fig.proxyCpuUsNoop.toFixed(0)} µs, node ${fig.toolingCpuUsNoop.toFixed(0)} µs`,
      },
      {
        metric: `${name}: creates`,
        value: `${fig.createPerSec.toFixed(0)}/s`,
        note: `p50 ${fig.createP50Ms.toFixed(1)} ms, p99 ${fig.createP99Ms.toFixed(1)} ms; user workerd ${fig.userCpuUsCreate.toFixed(0)} µs/create`,
      },
      {
        metric: `${name}: create / no-op`,
        value: (fig.createPerSec / fig.noopPerSec).toFixed(2),
        target: "≥ 0.8",
        met: fig.createPerSec / fig.noopPerSec >= 0.8,
      },
    );
  }
  printTable(`Local servers compared: ${ROUNDS} alternating rounds each, ${concurrency} clients, medians`, rows);
  console.log(`load average at the end: ${load()}`);
  console.log(`BENCH_COMPARE_JSON ${JSON.stringify(out)}`);
}
