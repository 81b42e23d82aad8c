// The per-request, per-sync and per-tick paths the doubling benchmark times at each size: each runs
// `ops` times one after another, and its cost is the user workerd's process CPU per operation (all
// threads: the Worker, the object, SQLite), which a shared machine disturbs less than latency.
import { performance } from "node:perf_hooks";
import { AGENT_SYNC_PATH, type KnownPod, type SyncResponse } from "../kube/agent-protocol.ts";
import type { LooseObject } from "../kube/types.ts";
import { type BenchClient, type BenchResponse, expectStatus } from "./http.ts";
import { nodeName, SEEDED_NODES, SYNC_NODE, seededPodName, type Templates } from "./memory-seed.ts";
import { cpuMs } from "./procs.ts";
import { median } from "./stats.ts";

export interface PathCost {
  path: string;
  ops: number;
  cpuUsPerOp: number;
  p50Ms: number;
}

const PODS = "/api/v1/namespaces/default/pods";
const json = { "content-type": "application/json" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(
  path: string,
  pids: () => number[],
  ops: number,
  op: (i: number) => Promise<number>,
): Promise<PathCost> {
  const latencies: number[] = [];
  const before = cpuMs(pids());
  for (let i = 0; i < ops; i++) latencies.push(await op(i));
  return { path, ops, cpuUsPerOp: ((cpuMs(pids()) - before) * 1000) / ops, p50Ms: median(latencies) };
}

const timed = async (send: () => Promise<BenchResponse>, want: number, what: string) =>
  expectStatus(await send(), want, what).elapsedMs;

function probePod(name: string, spec: LooseObject): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "probe" } },
    spec: {
      containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "10m", memory: "16Mi" } } }],
      ...spec,
    },
  });
}

export interface PathContext {
  admin: BenchClient;
  /** Authenticated as the real node (its credential). */
  node: BenchClient;
  pids: () => number[];
  t: Templates;
  /** Seeded pods #1…#pods-1 exist. */
  pods: number;
  /** Distinguishes this step's probe objects from the last one's. */
  step: number;
}

export async function measurePaths(c: PathContext): Promise<PathCost[]> {
  const out: PathCost[] = [];
  const pick = (i: number) => seededPodName(c.t, 1 + ((i * 7919) % (c.pods - 1)));

  out.push(
    await measure("get", c.pids, 200, (i) => timed(() => c.admin.request("GET", `${PODS}/${pick(i)}`), 200, "get")),
  );
  out.push(
    await measure("create (bound)", c.pids, 100, (i) =>
      timed(
        () =>
          c.admin.request("POST", PODS, {
            body: probePod(`probe-${c.step}-${i}`, { nodeName: nodeName(1 + (i % (SEEDED_NODES - 1))) }),
            headers: json,
          }),
        201,
        "create",
      ),
    ),
  );
  const label = (i: number) =>
    timed(
      () =>
        c.admin.request("PATCH", `${PODS}/${pick(i)}`, {
          body: JSON.stringify({ metadata: { labels: { touched: `${c.step}-${i}` } } }),
          headers: { "content-type": "application/merge-patch+json" },
        }),
      200,
      "patch",
    );
  out.push(await measure("update, no watch", c.pids, 100, label));
  const rv = JSON.parse(expectStatus(await c.admin.request("GET", `${PODS}?limit=1`), 200, "rv").body).metadata
    .resourceVersion;
  const watches = await Promise.all(
    Array.from({ length: 10 }, () => c.admin.stream(`${PODS}?watch=true&resourceVersion=${rv}`)),
  );
  for (const w of watches) w.resume();
  await sleep(500);
  try {
    out.push(await measure("update, 10 watches (fan-out)", c.pids, 100, (i) => label(100 + i)));
  } finally {
    for (const w of watches) w.destroy();
  }

  // The real node: one sync to learn what it holds, then idle syncs, then syncs writing one pod's status.
  const sync = async (body: object) => {
    const res = expectStatus(
      await c.node.request("POST", AGENT_SYNC_PATH, {
        body: JSON.stringify({ nodeName: SYNC_NODE, ...body }),
        headers: json,
      }),
      200,
      "sync",
    );
    return { elapsedMs: res.elapsedMs, body: JSON.parse(res.body) as SyncResponse };
  };
  const base = { podStatuses: [], terminated: [], events: [], waitSeconds: 0 };
  const first = await sync({ ...base, known: [] });
  const held = first.body.pods.map((a) => a.pod);
  const known: KnownPod[] = held.map((p) => ({ uid: p.metadata.uid!, resourceVersion: p.metadata.resourceVersion! }));
  out.push(
    await measure(`idle sync (${known.length} pods on the node)`, c.pids, 100, async () => {
      const r = await sync({ ...base, known });
      if (r.body.pods.length > 0) throw new Error(`an idle sync was sent ${r.body.pods.length} pods`);
      return r.elapsedMs;
    }),
  );
  let unacknowledged = 0;
  out.push(
    await measure("pod status write from a sync", c.pids, 100, async (i) => {
      const pod = held[i % held.length];
      const status = structuredClone(pod.status!) as LooseObject;
      for (const s of status.containerStatuses ?? []) s.restartCount = c.step * 1000 + i + 1;
      const update = { uid: pod.metadata.uid, namespace: "default", name: pod.metadata.name, status };
      const r = await sync({ ...base, known, podStatuses: [update] });
      const k = known.find((x) => x.uid === pod.metadata.uid)!;
      const acked = r.body.acknowledged[k.uid];
      if (!acked) {
        // Something else wrote the pod since the node last heard (the node lifecycle controller after the
        // restart): the object sends the pod instead; take its version, as the agent does, and go on.
        unacknowledged++;
        for (const a of r.body.pods) {
          const mine = known.find((x) => x.uid === a.pod.metadata.uid);
          if (mine) mine.resourceVersion = a.pod.metadata.resourceVersion!;
        }
        return r.elapsedMs;
      }
      k.resourceVersion = acked;
      return r.elapsedMs;
    }),
  );

  if (unacknowledged > 0) console.error(`${unacknowledged} status writes not acknowledged (the pod had changed)`);
  out.push(
    await measure("schedule + bind one pod (create → nodeName)", c.pids, 30, async (i) => {
      const name = `sched-${c.step}-${i}`;
      const affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "NotIn", values: [SYNC_NODE] }] },
            ],
          },
        },
      };
      const started = performance.now();
      const body = probePod(name, { affinity });
      expectStatus(await c.admin.request("POST", PODS, { body, headers: json }), 201, "create unbound");
      for (let n = 0; ; n++) {
        const pod = JSON.parse((await c.admin.request("GET", `${PODS}/${name}`)).body);
        if (pod.spec?.nodeName) return performance.now() - started;
        if (n > 6000) throw new Error(`${name} was not bound within a minute`);
        await sleep(5);
      }
    }),
  );

  // Nothing to do: whatever the object spends per second now is its ticks, lease flushes and timers.
  const before = cpuMs(c.pids());
  const started = performance.now();
  await sleep(10_000);
  const idle = ((cpuMs(c.pids()) - before) * 1000) / ((performance.now() - started) / 1000);
  out.push({ path: "idle object, per second (controller ticks)", ops: 10, cpuUsPerOp: idle, p50Ms: 0 });
  return out;
}
