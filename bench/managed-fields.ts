// Cost of tracking managedFields on an ordinary write (kube/managed-fields/record-update.ts): a kubelet
// status write to a running pod and a spec update of a Deployment, timed in process. Prints the median
// of 7 rounds. Run: `npx tsx bench/managed-fields.ts [--iterations 2000]`.
import { performance } from "node:perf_hooks";
import { recordUpdate } from "../kube/managed-fields/record-update.ts";
import type { KubeObject } from "../kube/types.ts";
import { numberFlag } from "./args.ts";
import { median } from "./stats.ts";

const container = (i: number) => ({
  name: `c${i}`,
  image: "nginx:1.27",
  ports: [{ containerPort: 80 + i, protocol: "TCP" }],
  env: Array.from({ length: 5 }, (_, e) => ({ name: `E${e}`, value: String(e) })),
  resources: { requests: { cpu: "100m", memory: "64Mi" } },
  volumeMounts: [{ name: "data", mountPath: `/data${i}` }],
});

const pod = (phase: string, ready: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default", labels: { app: "web", tier: "fe" } },
  spec: {
    containers: [container(0), container(1)],
    volumes: [{ name: "data", emptyDir: {} }],
    tolerations: [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ],
  },
  status: {
    phase,
    podIP: "10.244.0.5",
    conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
      type,
      status: type === "Ready" ? ready : "True",
      lastTransitionTime: "2026-01-01T00:00:00Z",
    })),
    containerStatuses: [0, 1].map((i) => ({
      name: `c${i}`,
      ready: ready === "True",
      restartCount: 0,
      image: "nginx:1.27",
      imageID: "sha256:abc",
      state: { running: { startedAt: "2026-01-01T00:00:00Z" } },
    })),
  },
});

function time(iterations: number, fn: () => void): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - start) / iterations) * 1000;
}

const iterations = numberFlag("--iterations", 2000);
const before = pod("Pending", "False");
before.metadata.managedFields = recordUpdate(undefined, before, { manager: "kubectl", apiVersion: "v1", now: 0 });
const after = { ...pod("Running", "True"), metadata: before.metadata };
const status = () =>
  recordUpdate(before, after, { manager: "kubelet", apiVersion: "v1", now: 1, subresource: "status" });
const spec = () =>
  recordUpdate(
    before,
    { ...before, spec: { ...before.spec, containers: [container(0)] } },
    {
      manager: "kubectl",
      apiVersion: "v1",
      now: 1,
    },
  );
for (const [name, fn] of [
  ["pod status write (kubelet)", status],
  ["pod spec update (kubectl)", spec],
] as const) {
  const rounds = Array.from({ length: 7 }, () => time(iterations, fn));
  console.log(`${name.padEnd(28)} ${median(rounds).toFixed(1)} µs per write (median of 7 × ${iterations})`);
}
