// The measured phases, each against one cluster object through the Worker. Every phase
// returns plain figures; run.ts orders them and report.ts prints them.
import { performance } from "node:perf_hooks";
import { type BenchClient, expectStatus } from "./http.ts";
import { type LoadResult, runLoad } from "./load.ts";
import { podManifest } from "./pods.ts";
import { cpuMs, selfCpuMs, type WorkerdPids } from "./procs.ts";
import { type LatencySummary, median, summarize } from "./stats.ts";
import { countEvents } from "./watch.ts";

export const PODS_PATH = "/api/v1/namespaces/default/pods";
export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io";

export interface LoadFigures {
  requests: number;
  perSecond: number;
  latency: LatencySummary;
  /** CPU time per request (all threads) of the user workerd (Worker, asset router, object), µs. */
  serverCpuUsPerRequest: number;
  /** CPU time per request of wrangler's proxy workerd (TLS, forwarding), µs: a local-dev-only cost. */
  proxyCpuUsPerRequest: number;
  /** CPU time per request of wrangler's node processes and esbuild, µs: local-dev-only too. */
  toolingCpuUsPerRequest: number;
  /** This process's CPU per request, µs: if near 1e6/perSecond, the client is the bottleneck. */
  clientCpuUsPerRequest: number;
}

/** Runs a load and attributes the CPU spent by workerd and by us to it. */
export async function measuredLoad(
  roles: WorkerdPids,
  total: number,
  concurrency: number,
  send: (i: number) => ReturnType<BenchClient["request"]>,
  check: (res: Awaited<ReturnType<BenchClient["request"]>>, i: number) => void,
): Promise<{ figures: LoadFigures; raw: LoadResult }> {
  const server0 = cpuMs(roles.user);
  const proxy0 = cpuMs(roles.proxy);
  const tooling0 = cpuMs(roles.tooling);
  const client0 = selfCpuMs();
  const raw = await runLoad(total, concurrency, send, check);
  const perReq = (ms: number) => (ms * 1000) / total;
  return {
    raw,
    figures: {
      requests: total,
      perSecond: raw.perSecond,
      latency: summarize(raw.latenciesMs),
      serverCpuUsPerRequest: perReq(cpuMs(roles.user) - server0),
      proxyCpuUsPerRequest: perReq(cpuMs(roles.proxy) - proxy0),
      toolingCpuUsPerRequest: perReq(cpuMs(roles.tooling) - tooling0),
      clientCpuUsPerRequest: perReq(selfCpuMs() - client0),
    },
  };
}

/** GET /version: authenticated, tiny answer, the cheapest request on the Worker→object path. */
export async function noopBaseline(
  roles: WorkerdPids,
  client: BenchClient,
  requests: number,
  concurrency: number,
): Promise<LoadFigures> {
  const send = () => client.request("GET", "/version");
  const check = (res: Awaited<ReturnType<typeof send>>) => void expectStatus(res, 200, "GET /version");
  await runLoad(Math.max(300, concurrency * 20), concurrency, send, check); // warm-up: sockets, TLS, JIT
  return (await measuredLoad(roles, requests, concurrency, send, check)).figures;
}

export interface CreateFigures extends LoadFigures {
  watch: { added: number; other: Record<string, number>; lagMs: number };
}

/** Creates `pods` pods while a watch opened at the empty list's revision counts the events. */
export async function createPods(
  roles: WorkerdPids,
  client: BenchClient,
  pods: number,
  concurrency: number,
  namespace = "default",
): Promise<CreateFigures> {
  const path = `/api/v1/namespaces/${namespace}/pods`;
  const empty = JSON.parse(expectStatus(await client.request("GET", path), 200, "list before creates").body) as {
    metadata: { resourceVersion: string };
    items: unknown[];
  };
  if (empty.items.length !== 0) throw new Error(`expected no pods before the creates, found ${empty.items.length}`);
  const watch = countEvents(
    await client.stream(`${path}?watch=true&resourceVersion=${empty.metadata.resourceVersion}`),
  );
  try {
    const headers = { "content-type": "application/json" };
    const { figures, raw } = await measuredLoad(
      roles,
      pods,
      concurrency,
      (i) => client.request("POST", path, { body: podManifest(i, namespace), headers }),
      (res, i) => void expectStatus(res, 201, `create pod ${i}`),
    );
    await watch.addedReached(pods, 60_000).catch((err: Error) => console.error(`watch: ${err.message}`));
    const { ADDED = 0, ...other } = watch.counts;
    return { ...figures, watch: { added: ADDED, other, lagMs: watch.lastEventAt - raw.lastResponseAt } };
  } finally {
    watch.close();
  }
}

export interface ListFigures {
  runs: number;
  jsonMedianMs: number;
  jsonRunsMs: number[];
  /** Client-side JSON.parse of the full list, median ms (not server time). */
  jsonParseMedianMs: number;
  responseBytes: number;
  /** Sum of the items serialized one by one: the pods' JSON as the store holds it. */
  itemsJsonBytes: number;
  tableMedianMs: number;
  tableRunsMs: number[];
  tableResponseBytes: number;
}

interface ListBody {
  items?: unknown[];
  rows?: unknown[];
}

export async function listPods(client: BenchClient, want: number, runs = 5): Promise<ListFigures> {
  const jsonRunsMs: number[] = [];
  const parseMs: number[] = [];
  let responseBytes = 0;
  let itemsJsonBytes = 0;
  for (let r = 0; r < runs; r++) {
    const res = expectStatus(await client.request("GET", PODS_PATH), 200, "list pods");
    const parseStart = performance.now();
    const items = (JSON.parse(res.body) as ListBody).items ?? [];
    parseMs.push(performance.now() - parseStart);
    if (items.length !== want) throw new Error(`list returned ${items.length} pods, want ${want}`);
    jsonRunsMs.push(res.elapsedMs);
    responseBytes = Buffer.byteLength(res.body);
    if (r === 0) itemsJsonBytes = items.reduce<number>((n, item) => n + Buffer.byteLength(JSON.stringify(item)), 0);
  }
  const tableRunsMs: number[] = [];
  let tableResponseBytes = 0;
  for (let r = 0; r < runs; r++) {
    const res = expectStatus(
      await client.request("GET", PODS_PATH, { headers: { accept: TABLE_ACCEPT } }),
      200,
      "table",
    );
    const rows = (JSON.parse(res.body) as ListBody).rows ?? [];
    if (rows.length !== want) throw new Error(`table returned ${rows.length} rows, want ${want}`);
    tableRunsMs.push(res.elapsedMs);
    tableResponseBytes = Buffer.byteLength(res.body);
  }
  return {
    runs,
    jsonMedianMs: median(jsonRunsMs),
    jsonRunsMs,
    jsonParseMedianMs: median(parseMs),
    responseBytes,
    itemsJsonBytes,
    tableMedianMs: median(tableRunsMs),
    tableRunsMs,
    tableResponseBytes,
  };
}

/** Lists until the answer holds `want` pods (the first request after a restart wakes the object). */
export async function firstFullList(client: BenchClient, want: number, timeoutMs = 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = "";
  while (performance.now() < deadline) {
    try {
      const res = await client.request("GET", PODS_PATH);
      if (res.status === 200) {
        const n = ((JSON.parse(res.body) as ListBody).items ?? []).length;
        if (n === want) return performance.now();
        last = `${n} pods`;
      } else last = `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no full list of ${want} pods after the restart (last: ${last})`);
}
