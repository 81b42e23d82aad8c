// Pod start latency of the agent's docker runtime on Podman/Docker (image present): apply → Running+Ready,
// p50/p99 over N pods created at a steady rate. In-process (no cluster); prints figures only.
// Usage: npx tsx bench/agent-pod-start.ts [pods=100] [concurrency=10]
import { Harness, makePod, BUSYBOX } from "../agent/runtime/docker/testing/harness.ts";

const total = Number(process.argv[2] ?? 100);
const concurrency = Number(process.argv[3] ?? 10);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const h = await new Harness().start();
  const latencies: number[] = [];
  try {
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const pod = makePod(`bench-${i}`, {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: "main", image: BUSYBOX, imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }],
        });
        const start = performance.now();
        h.run(pod);
        await h.waitFor(
          pod,
          (s) => s.phase === "Running" && s.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true,
          60_000,
        );
        latencies.push(performance.now() - start);
      }
    };
    const wall = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - wall) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(`pod start latency (apply → Running+Ready, image present), ${total} pods, ${concurrency} at a time:`);
    console.log(
      `  p50 ${percentile(latencies, 50).toFixed(0)} ms   p90 ${percentile(latencies, 90).toFixed(0)} ms   p99 ${percentile(latencies, 99).toFixed(0)} ms   max ${latencies.at(-1)!.toFixed(0)} ms`,
    );
    console.log(`  throughput ${(total / seconds).toFixed(1)} pods/s`);
  } finally {
    console.error("removing the benchmark's containers …");
    await h.cleanup();
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
