// Issue 18's storage benchmark on Podman: wrangler dev and one agent; N times a claim of the default class
// (WaitForFirstConsumer) and a pod using it, timed from the claim's creation to the pod Running and Ready
// (scheduling, the selected-node hand-off, provisioning, binding, the directory made and mounted), beside
// the same pod with an emptyDir timed from its creation, interleaved in one run. Prints p50/p90/p99.
// Run: `npx tsx bench/storage.ts [--claims 50] [--concurrency 5]` (DOCKER_HOST set, busybox:stable present).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createClient } from "./http.ts";
import { startBenchFlotilla } from "./flotilla.ts";
import { printJson } from "./report.ts";
import { summarize } from "./stats.ts";
import { removeNodeContainers } from "../test/e2e/containers.ts";
import { numberFlag } from "./args.ts";
import type { AnyJson as Json } from "../kube/types.ts";

const NS = "/api/v1/namespaces/default";
const IMAGE = "busybox:stable";
const NODE = "bench-storage";
const log = (m: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const podSpec = (volume: Json) => ({
  terminationGracePeriodSeconds: 0,
  containers: [
    {
      name: "main",
      image: IMAGE,
      imagePullPolicy: "IfNotPresent",
      command: ["sleep", "3600"],
      volumeMounts: [{ name: "data", mountPath: "/data" }],
    },
  ],
  volumes: [{ name: "data", ...volume }],
});

async function main(): Promise<void> {
  const claims = numberFlag("--claims", 50);
  const concurrency = numberFlag("--concurrency", 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-bench-storage-"));
  const fl = await startBenchFlotilla(dir);
  const client = createClient({ baseUrl: fl.clusterUrl, token: fl.adminToken, caPem: fl.caPem, maxSockets: 32 });
  const post = async (p: string, body: unknown) => {
    const res = await client.request("POST", p, {
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
    if (res.status !== 201) throw new Error(`POST ${p}: ${res.status} ${res.body}`);
  };
  const running = async (name: string) => {
    for (;;) {
      const pod = JSON.parse((await client.request("GET", `${NS}/pods/${name}`)).body);
      const ready = pod.status?.conditions?.some((c: Json) => c.type === "Ready" && c.status === "True");
      if (pod.status?.phase === "Running" && ready) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await fl.startAgent({ name: NODE, runtime: "docker" });
    for (;;) {
      const nodes = JSON.parse((await client.request("GET", "/api/v1/nodes")).body).items as Json[];
      if (nodes.some((n) => n.status?.conditions?.some((c: Json) => c.type === "Ready" && c.status === "True"))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    log(`node Ready; ${claims} claim+pod and ${claims} emptyDir pods, ${concurrency} at a time`);
    const claimed: number[] = [];
    const empty: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < claims) {
        const i = next++;
        let start = performance.now();
        await post(`${NS}/persistentvolumeclaims`, {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: `data-${i}` },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "64Mi" } } },
        });
        await post(`${NS}/pods`, {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: `claimed-${i}` },
          spec: podSpec({ persistentVolumeClaim: { claimName: `data-${i}` } }),
        });
        await running(`claimed-${i}`);
        claimed.push(performance.now() - start);
        start = performance.now();
        await post(`${NS}/pods`, {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: `empty-${i}` },
          spec: podSpec({ emptyDir: {} }),
        });
        await running(`empty-${i}`);
        empty.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const a = summarize(claimed);
    const b = summarize(empty);
    const line = (what: string, s: typeof a) =>
      `${what}: p50 ${s.p50Ms.toFixed(0)} ms  p90 ${s.p90Ms.toFixed(0)} ms  p99 ${s.p99Ms.toFixed(0)} ms  max ${s.maxMs.toFixed(0)} ms`;
    console.log(line(`claim created → pod Running+Ready (provisioned volume), ${a.count}`, a));
    console.log(line(`pod created → Running+Ready (emptyDir), ${b.count}`, b));
    printJson({ bench: "storage", concurrency, provisioned: a, emptyDir: b });
  } finally {
    log("deleting the benchmark's pods and claims …");
    await client.request("DELETE", `${NS}/pods`).catch(() => undefined);
    await client.request("DELETE", `${NS}/persistentvolumeclaims`).catch(() => undefined);
    for (let i = 0; i < 120; i++) {
      const left = JSON.parse((await client.request("GET", `${NS}/pods`)).body).items?.length ?? 0;
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    client.close();
    await fl.stop();
    await removeNodeContainers([NODE]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
