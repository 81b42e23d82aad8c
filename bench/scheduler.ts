// Scheduler benchmark, in-process on the scheduler's own cache (no HTTP, no store): the shape
// of upstream's scheduler_perf "SchedulingBasic" — N nodes, then pods with small requests
// scheduled one by one (filter → score → pick → assume onto the node, as binding would).
// Prints pods/s, p50/p99 time per pod, and how the rate changes with the number of nodes.
//
// Run: npx tsx bench/scheduler.ts [--pods 10000] [--nodes 500,1000,2000,5000]
import { SchedulerCache } from "../durable-objects/cluster/scheduler/cache.ts";
import { Framework } from "../durable-objects/cluster/scheduler/framework.ts";
import { podInfo } from "../durable-objects/cluster/scheduler/pod-info.ts";
import { defaultPlugins } from "../durable-objects/cluster/scheduler/plugins/index.ts";
import type { KubeObject } from "../kube/types.ts";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const PODS = Number(arg("pods", "10000"));
const NODE_COUNTS = arg("nodes", "500,1000,2000,5000").split(",").map(Number);

function node(i: number): KubeObject {
  const capacity = { cpu: "32", memory: "128Gi", pods: "110" };
  const name = `node-${i}`;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": `zone-${i % 3}` } },
    spec: {},
    status: { capacity, allocatable: capacity, conditions: [{ type: "Ready", status: "True" }] },
  };
}

function pod(i: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `pod-${i}`, namespace: "default", uid: `uid-${i}`, creationTimestamp: "2025-01-01T00:00:00Z" },
    spec: {
      containers: [
        { name: "c", image: "registry.k8s.io/pause:3.10", resources: { requests: { cpu: "100m", memory: "500Mi" } } },
      ],
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

function run(nodeCount: number): void {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodeCount; i++) cache.setNode(node(i));
  const fw = new Framework(defaultPlugins, cache);
  const objects = Array.from({ length: PODS }, (_, i) => pod(i));
  const times = new Float64Array(PODS);
  let failed = 0;
  const start = performance.now();
  for (let i = 0; i < PODS; i++) {
    const t0 = performance.now();
    const info = podInfo(`pods/default/pod-${i}`, objects[i]);
    const attempt = fw.schedule(info);
    if (attempt.node) cache.addPod({ ...info, nodeName: attempt.node.name });
    else failed++;
    times[i] = performance.now() - t0;
  }
  const elapsed = (performance.now() - start) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  let maxPerNode = 0;
  for (const n of cache.nodes()) maxPerNode = Math.max(maxPerNode, n.pods.size);
  console.log(
    [
      `nodes ${String(nodeCount).padStart(5)}`,
      `pods ${PODS}`,
      `${Math.round(PODS / elapsed)
        .toLocaleString("en")
        .padStart(7)} pods/s`,
      `p50 ${(percentile(sorted, 0.5) * 1000).toFixed(0)}µs`,
      `p99 ${(percentile(sorted, 0.99) * 1000).toFixed(0)}µs`,
      `max pods on one node ${maxPerNode}`,
      failed ? `unschedulable ${failed}` : "",
    ].join("  "),
  );
}

// One warm-up round so the JIT has seen the hot paths before the measured runs.
run(Math.min(...NODE_COUNTS));
console.log("--- measured ---");
for (const n of NODE_COUNTS) run(n);
