// `--profile`: where a request's time goes, measured from outside by adding one layer at a
// time. Each step is the previous one plus one piece of work; the deltas attribute the cost.
import type { BenchClient } from "./http.ts";
import { expectStatus } from "./http.ts";
import { type LoadFigures, measuredLoad, PODS_PATH } from "./phases.ts";
import { podManifest } from "./pods.ts";
import type { WorkerdPids } from "./procs.ts";
import { ms, perSec, printJson, us } from "./report.ts";
import { countEvents } from "./watch.ts";

interface Step {
  name: string;
  what: string;
  status: number;
  send: (i: number) => ReturnType<BenchClient["request"]>;
}

const CREATES = 1_000;
const JSON_HEADERS = { "content-type": "application/json" };

function steps(root: BenchClient, cluster: BenchClient, offset: () => number): Step[] {
  return [
    {
      name: "healthz",
      what: "Worker only (Hono route, no object)",
      status: 200,
      send: () => root.request("GET", "/healthz"),
    },
    {
      name: "version",
      what: "+ hop to the object, auth (SHA-256 of the token), tiny JSON",
      status: 200,
      send: () => cluster.request("GET", "/version"),
    },
    {
      name: "get-missing",
      what: "+ resource path parsing, authorize, store lookup (404 Status)",
      status: 404,
      send: () => cluster.request("GET", `${PODS_PATH}/absent`),
    },
    {
      name: "create-dryrun",
      what: "+ request body, JSON.parse, defaults, validation, response JSON (no write)",
      status: 201,
      send: (i) =>
        cluster.request("POST", `${PODS_PATH}?dryRun=All`, { body: podManifest(offset() + i), headers: JSON_HEADERS }),
    },
    {
      name: "create",
      what: "+ SQLite transaction (objects + changes rows), memory store",
      status: 201,
      send: (i) => cluster.request("POST", PODS_PATH, { body: podManifest(offset() + i), headers: JSON_HEADERS }),
    },
  ];
}

interface Measured {
  name: string;
  what: string;
  serial: LoadFigures;
  concurrent: LoadFigures;
}

async function measure(
  roles: WorkerdPids,
  step: Step,
  n: number,
  concurrency: number,
  bump: (n: number) => void,
): Promise<Measured> {
  const check = (res: Awaited<ReturnType<Step["send"]>>) => void expectStatus(res, step.status, step.name);
  const serial = (await measuredLoad(roles, n, 1, step.send, check)).figures;
  bump(n);
  const concurrent = (await measuredLoad(roles, n, concurrency, step.send, check)).figures;
  bump(n);
  return { name: step.name, what: step.what, serial, concurrent };
}

export async function runProfile(
  roles: WorkerdPids,
  root: BenchClient,
  cluster: BenchClient,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const bump = (n: number) => {
    next += n;
  };
  const all = steps(root, cluster, () => next);
  // Warm-up: sockets, TLS sessions, JIT, the object awake.
  for (const step of all.slice(0, 4)) await measure(roles, step, 200, concurrency, bump);
  const results: Measured[] = [];
  for (const step of all) results.push(await measure(roles, step, CREATES, concurrency, bump));
  // Creates again with a watch open: the cost of fanning each change out to one watcher.
  const list = JSON.parse(expectStatus(await cluster.request("GET", PODS_PATH), 200, "list").body);
  const watch = countEvents(
    await cluster.stream(`${PODS_PATH}?watch=true&resourceVersion=${list.metadata.resourceVersion}`),
  );
  const watched = await measure(
    roles,
    { ...all[4], name: "create+watch", what: "+ one open watch receiving every ADDED event" },
    CREATES,
    concurrency,
    bump,
  );
  watch.close();
  results.push(watched);
  printProfile(results, concurrency);
}

function printProfile(results: Measured[], concurrency: number): void {
  console.log(`\nProfile: ${CREATES} requests per step, serial (1 client) and ${concurrency} clients`);
  const head = [
    "step",
    "serial p50",
    "Δ p50",
    "serial mean",
    `req/s @${concurrency}`,
    `p99 @${concurrency}`,
    "user CPU/req",
    "Δ user CPU",
    "proxy CPU/req",
    "wrangler CPU/req",
    "what the step adds",
  ];
  const rows = results.map((r, i) => {
    const prev =
      i > 0 && r.name !== "create+watch" ? results[i - 1] : r.name === "create+watch" ? results[i - 1] : undefined;
    return [
      r.name,
      ms(r.serial.latency.p50Ms),
      prev ? ms(r.serial.latency.p50Ms - prev.serial.latency.p50Ms) : "",
      ms(r.serial.latency.meanMs),
      perSec(r.concurrent.perSecond),
      ms(r.concurrent.latency.p99Ms),
      us(r.concurrent.serverCpuUsPerRequest),
      prev ? us(r.concurrent.serverCpuUsPerRequest - prev.concurrent.serverCpuUsPerRequest) : "",
      us(r.concurrent.proxyCpuUsPerRequest),
      us(r.concurrent.toolingCpuUsPerRequest),
      r.what,
    ];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c < cells.length - 1 ? cell.padEnd(widths[c]) : cell)).join("  ");
  console.log(line(head));
  for (const row of rows) console.log(line(row));
  console.log(
    "CPU/req: utime+stime during the concurrent run, per request, of the user workerd (Worker + object), " +
      "wrangler's proxy workerd (TLS, relaying) and wrangler's node processes.",
  );
  printJson({ profile: results.map((r) => ({ name: r.name, serial: r.serial, concurrent: r.concurrent })) });
}
