// Results as the printed table and the BENCH_JSON line.
import type { BenchArgs } from "./args.ts";
import type { Results } from "./collect.ts";
import { mib, ms, perSec, printJson, printTable, type Row, us } from "./report.ts";

const TARGETS = { createsPerSec: 1_000, p99Ms: 50, listMs: 200, firstListAfterRestartMs: 500, ratio: 0.8 };

export function printResults(args: BenchArgs, r: Results): void {
  const ratio = r.create.perSecond / r.noop.perSecond;
  const { memory: m } = r;
  const rows: Row[] = [
    {
      metric: "start → healthz (first start)",
      value: ms(r.startToHealthzMs),
      note: "spawn wrangler dev to /healthz 200 (includes bundling)",
    },
    {
      metric: "no-op GET /version",
      value: perSec(r.noop.perSecond),
      note: `${r.noop.requests} req, ${args.concurrency} clients; p50 ${ms(r.noop.latency.p50Ms)}, p99 ${ms(r.noop.latency.p99Ms)}`,
    },
    {
      metric: "  user workerd CPU / no-op",
      value: us(r.noop.serverCpuUsPerRequest),
      note: `Worker+object process; proxy workerd ${us(r.noop.proxyCpuUsPerRequest)}, wrangler node ${us(r.noop.toolingCpuUsPerRequest)}, client ${us(r.noop.clientCpuUsPerRequest)} per req`,
    },
    {
      metric: "creates",
      value: perSec(r.create.perSecond),
      target: `≥ ${TARGETS.createsPerSec}/s`,
      met: r.create.perSecond >= TARGETS.createsPerSec,
      note: `${r.create.requests} × POST pods, ${args.concurrency} clients`,
    },
    { metric: "  create p50", value: ms(r.create.latency.p50Ms), note: "request start → last response byte" },
    {
      metric: "  create p99",
      value: ms(r.create.latency.p99Ms),
      target: `≤ ${TARGETS.p99Ms} ms`,
      met: r.create.latency.p99Ms <= TARGETS.p99Ms,
    },
    { metric: "  create max", value: ms(r.create.latency.maxMs) },
    {
      metric: "  user workerd CPU / create",
      value: us(r.create.serverCpuUsPerRequest),
      note: `proxy workerd ${us(r.create.proxyCpuUsPerRequest)}, wrangler node ${us(r.create.toolingCpuUsPerRequest)}, client ${us(r.create.clientCpuUsPerRequest)} per req`,
    },
    {
      metric: "create / no-op throughput",
      value: ratio.toFixed(2),
      target: `≥ ${TARGETS.ratio}`,
      met: ratio >= TARGETS.ratio,
    },
    {
      metric: "watch ADDED events",
      value: String(r.create.watch.added),
      target: `= ${args.pods}`,
      met: r.create.watch.added === args.pods,
      note: othersNote(r.create.watch.other),
    },
    {
      metric: "watch lag",
      value: ms(r.create.watch.lagMs),
      note: "last create's response → last watch event received (negative: the event came first)",
    },
    {
      metric: "list JSON (median of 5)",
      value: ms(r.list.jsonMedianMs),
      target: `≤ ${TARGETS.listMs} ms`,
      met: r.list.jsonMedianMs <= TARGETS.listMs,
      note: `${mib(r.list.responseBytes)} body; client JSON.parse ${ms(r.list.jsonParseMedianMs)} (not included)`,
    },
    {
      metric: "list Table (median of 5)",
      value: ms(r.list.tableMedianMs),
      target: `≤ ${TARGETS.listMs} ms`,
      met: r.list.tableMedianMs <= TARGETS.listMs,
      note: `${mib(r.list.tableResponseBytes)} body, Accept as=Table`,
    },
    {
      metric: "workerd RSS after start",
      value: mib(m.afterStart),
      note: `VmRSS of the user workerd (Worker + object), object awake, no pods; proxy workerd ${mib(m.proxy)} apart`,
    },
    {
      metric: "workerd RSS after creates",
      value: mib(m.afterCreates),
      note: `delta ${mib(m.afterCreates - m.afterStart)} for ${args.pods} pods (+ change log, V8 heap slack)`,
    },
    {
      metric: "workerd RSS after lists",
      value: mib(m.afterLists),
      note: "lists build multi-MB strings; GC decides when they go",
    },
    {
      metric: "pods' stored JSON",
      value: mib(r.list.itemsJsonBytes),
      note: `sum of each item serialized (${Math.round(r.list.itemsJsonBytes / args.pods)} B/pod); memory holds it + parsed objects`,
    },
    {
      metric: "restart: start → healthz",
      value: ms(r.restart.startToHealthzMs),
      note: "spawn to /healthz 200 (bundling again, no object yet)",
    },
    {
      metric: "restart: healthz → full list",
      value: ms(r.restart.healthzToFirstFullListMs),
      target: `≤ ${TARGETS.firstListAfterRestartMs} ms`,
      met: r.restart.healthzToFirstFullListMs <= TARGETS.firstListAfterRestartMs,
      note: `object wakes, loads ${args.pods} pods from SQLite, answers the list`,
    },
    { metric: "workerd RSS after restart", value: mib(m.afterRestart), note: "same pods loaded fresh from SQLite" },
    { metric: "list JSON after restart", value: ms(r.restart.listAfterRestartMedianMs), note: "median of 3, warm" },
  ];
  if (r.reloaded)
    console.error("WARNING: the user workerd restarted during the run (source change?); figures are suspect");
  printTable(
    `Flotilla bench: one cluster object, ${args.pods} pods, ${args.concurrency} clients, ${args.direct ? "direct to the user workerd (no wrangler proxy)" : "through wrangler dev's HTTPS port"}`,
    rows,
  );
  printJson({ pods: args.pods, concurrency: args.concurrency, direct: args.direct, ratio, targets: TARGETS, ...r });
}

function othersNote(other: Record<string, number>): string {
  const parts = Object.entries(other).map(([type, n]) => `${type} ${n}`);
  return parts.length ? `other events: ${parts.join(", ")}` : "no other events";
}
