// `npm run bench -- --cpu-profile [--pods N]`: where the cluster object's JavaScript time goes per create.
// Warms up with a few hundred creates (JIT, the object's caches), then profiles N creates at the usual
// concurrency with a watch open, and prints the heaviest functions per create (bench/cpu-profile.ts).
import os from "node:os";
import path from "node:path";
import { CpuProfiler, INSPECTOR_PORT_ENV, printProfile } from "./cpu-profile.ts";
import type { BenchClient } from "./http.ts";
import { createPods } from "./phases.ts";
import type { WorkerdPids } from "./procs.ts";

const WARM_UP = 300;

export async function profileCreates(
  roles: WorkerdPids,
  client: BenchClient,
  pods: number,
  concurrency: number,
  file = path.join(os.tmpdir(), "flotilla-creates.cpuprofile"),
): Promise<void> {
  const port = Number(process.env[INSPECTOR_PORT_ENV]);
  await client.request("POST", "/api/v1/namespaces", {
    body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "profiled" } }),
    headers: { "content-type": "application/json" },
  });
  await createPods(roles, client, WARM_UP, concurrency);
  const profiler = await CpuProfiler.connect(port);
  try {
    await profiler.start();
    const figures = await createPods(roles, client, pods, concurrency, "profiled");
    const profile = await profiler.stop(file);
    console.log(
      `${pods} creates: ${figures.perSecond.toFixed(0)}/s, p50 ${figures.latency.p50Ms.toFixed(1)} ms, p99 ${figures.latency.p99Ms.toFixed(1)} ms, user workerd ${figures.serverCpuUsPerRequest.toFixed(0)} µs CPU/create`,
    );
    printProfile(profile, pods, 40);
    console.log(`\nprofile written to ${file} (open it in Chrome DevTools' Performance panel)`);
  } finally {
    profiler.close();
  }
}
