// Property-based fuzzing of the Kubernetes API through the real Worker and cluster object: a
// seeded, bounded sample of hostile requests over every route family and body format (see
// testing/fuzz-requests.ts). Every answer must be below 500, every error a Status whose code is the
// HTTP status, and a refused request must leave the store — every object, the change log, the
// revision counter — exactly as it was. Issue 21's fixed cases are in bodies.workers.test.ts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kindIndex } from "../registry/index.ts";
import { type ClusterClient, newCluster } from "../testing/cluster-client.ts";
import { validObject } from "../testing/fuzz-objects.ts";
import { collectionPath, type FuzzRequest, fuzzRequest, SEED, SEED_NAMESPACE } from "../testing/fuzz-requests.ts";
import { storeDump } from "../testing/store-dump.ts";

const FUZZ_SEED = 21;
/** At most this many requests, and no more once this long has passed: bounded on a loaded machine too. */
const RUNS = 1000;
const BUDGET_MS = 40_000;

/** One object of every served kind named SEED, for the requests to update, patch and delete. */
async function seed(k: ClusterClient): Promise<void> {
  const fuzzNs = await k.request("POST", "/api/v1/namespaces", { metadata: { name: "fuzz" } });
  expect(fuzzNs.status, fuzzNs.text).toBe(201);
  for (const kind of kindIndex.all) {
    if (kind.conversion) continue; // served from another version's objects
    const res = await k.request("POST", collectionPath(kind, SEED_NAMESPACE), validObject(kind, SEED));
    expect(res.status, `${kind.kind}: ${res.text}`).toBe(201);
  }
}

function describeCase(c: FuzzRequest): string {
  const body = c.body instanceof Uint8Array ? `<${c.body.length} protobuf bytes>` : (c.body ?? "").slice(0, 400);
  return `${c.family}: ${c.method} ${c.path} ${JSON.stringify(c.headers)} ${body}`;
}

/**
 * Waits until what an accepted write set off (the scheduler's timers) has stopped writing, so the
 * next request's "before" is not taken in the middle of it. The controllers' alarm is cancelled
 * each time: the fuzz is about the API, and a hostile Deployment of 2^31-1 replicas would
 * otherwise fill the store with pods.
 */
async function settle(k: ClusterClient): Promise<void> {
  let last = await storeDump(k.id, { stopAlarm: true });
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const now = await storeDump(k.id, { stopAlarm: true });
    if (now === last) return;
    last = now;
  }
}

/** After seeding: lets the controllers finish with the seeds (status of budgets and workloads), then stops them. */
async function settleControllers(k: ClusterClient): Promise<void> {
  let last = await storeDump(k.id);
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await storeDump(k.id);
    if (now === last) break;
    last = now;
  }
  await settle(k);
}

/** Which rows differ between two dumps, for the failure report. */
function changedRows(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, Record<string, unknown>[]>;
  const b = JSON.parse(after) as Record<string, Record<string, unknown>[]>;
  const out: string[] = [];
  for (const table of Object.keys(a)) {
    const rows = (d: Record<string, unknown>[]) => new Set(d.map((r) => JSON.stringify(r)));
    const [x, y] = [rows(a[table]), rows(b[table])];
    for (const r of y) if (!x.has(r)) out.push(`${table} + ${r.slice(0, 1600)}`);
    for (const r of x) if (!y.has(r)) out.push(`${table} - ${r.slice(0, 1600)}`);
  }
  return out.join("; ");
}

/** What is wrong with the answer to `c`, if anything. */
async function check(k: ClusterClient, c: FuzzRequest): Promise<string | undefined> {
  const before = await storeDump(k.id, { stopAlarm: true });
  const res = await k
    .raw(c.method, c.path, { headers: c.headers, body: c.body, signal: AbortSignal.timeout(10_000) })
    .catch((err: Error) => err);
  if (res instanceof Error) return `no answer: ${res.message}`;
  if (res.ok && c.family === "watch") {
    await res.body?.cancel();
    return undefined;
  }
  const text = await res.text();
  if (res.status >= 500) return `${res.status} ${text.slice(0, 300)}`;
  if (res.status < 400) {
    if (c.method !== "GET") await settle(k);
    return undefined;
  }
  let status: { kind?: string; apiVersion?: string; code?: number } = {};
  try {
    status = JSON.parse(text);
  } catch {}
  if (status.kind !== "Status" || status.apiVersion !== "v1" || status.code !== res.status)
    return `${res.status} is not a Status with its code: ${text.slice(0, 300)}`;
  const after = await storeDump(k.id);
  if (after !== before)
    return `${res.status} refused but the store changed (${changedRows(before, after)}): ${text.slice(0, 200)}`;
  return undefined;
}

describe("fuzzing the API", () => {
  it("answers every hostile request below 500 with a Status, and a refused one changes nothing", async () => {
    const k = await newCluster();
    await seed(k);
    await settleControllers(k);
    const cases = fc.sample(fuzzRequest, { seed: FUZZ_SEED, numRuns: RUNS });
    const failures: string[] = [];
    const families = new Map<string, number>();
    const started = Date.now();
    let previous = "";
    let run = 0;
    for (const c of cases) {
      if (Date.now() - started > BUDGET_MS) break;
      run++;
      families.set(c.family.split(" ")[0], (families.get(c.family.split(" ")[0]) ?? 0) + 1);
      const problem = await check(k, c);
      if (problem) failures.push(`${problem}\n    ${describeCase(c)}\n  after ${previous}`);
      previous = describeCase(c);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${run} requests in ${seconds} s (seed ${FUZZ_SEED}):`, Object.fromEntries(families));
    expect(failures).toEqual([]);
  }, 300_000);
});
