// For controller workers tests: Ready kwok-style nodes, a fake kubelet that marks pods
// Running and Ready (or not) through the status subresource, and polling.
import { expect } from "vitest";
import type { ClusterClient } from "../testing/cluster-client.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";
export type { Json };

export const NS = "/api/v1/namespaces/default";
export const APPS = "/apis/apps/v1/namespaces/default";

export async function addNode(c: ClusterClient, name: string): Promise<void> {
  const created = await c.request("POST", "/api/v1/nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name } },
  });
  expect(created.status).toBe(201);
  const capacity = { cpu: "8", memory: "16Gi", pods: "110" };
  const status = {
    capacity,
    allocatable: capacity,
    conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
  };
  // Unconditional (no resourceVersion): node IPAM may have given the node its podCIDR meanwhile.
  const { resourceVersion: _, ...metadata } = created.body.metadata;
  const res = await c.request("PUT", `/api/v1/nodes/${name}/status`, { ...created.body, metadata, status });
  expect(res.status).toBe(200);
}

export async function until<T>(fn: () => Promise<T | undefined>, what: string, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function listPods(c: ClusterClient, selector = ""): Promise<Json[]> {
  const q = selector ? `?labelSelector=${encodeURIComponent(selector)}` : "";
  const res = await c.request("GET", `${NS}/pods${q}`);
  return res.body.items;
}

let ipCounter = 10;

/** What a kubelet would write: Running, an IP, and Ready (True or False). */
export async function markPod(c: ClusterClient, pod: Json, ready = true): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const cond = (type: string) => ({ type, status: ready ? "True" : "False", lastTransitionTime: now });
  const ip = pod.status?.podIP ?? `10.244.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
  const status = {
    phase: "Running",
    podIP: ip,
    podIPs: [{ ip }],
    hostIP: "192.168.0.10",
    startTime: now,
    conditions: [
      cond("Initialized"),
      cond("Ready"),
      cond("ContainersReady"),
      { ...cond("PodScheduled"), status: "True" },
    ],
  };
  await putPodStatus(c, pod.metadata.name, status);
}

/**
 * Writes a pod's status as a kubelet does: on the latest version, reading it again on a conflict
 * (client-go's RetryOnConflict), since the scheduler or a controller may write the pod in between.
 */
export async function putPodStatus(c: ClusterClient, name: string, status: Json): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const pod = (await c.request("GET", `${NS}/pods/${name}`)).body;
    const res = await c.request("PUT", `${NS}/pods/${name}/status`, { ...pod, status });
    if (res.status === 200) return;
    if (res.status !== 409 || attempt === 4) throw new Error(`status of ${name}: ${res.status} ${res.text}`);
  }
}

/** Marks every bound, not-yet-ready, live pod matching the selector Running and Ready. */
export async function kubelet(c: ClusterClient, selector = ""): Promise<number> {
  let n = 0;
  for (const p of await listPods(c, selector)) {
    if (!p.spec.nodeName || p.metadata.deletionTimestamp) continue;
    if ((p.status?.conditions ?? []).some((x: Json) => x.type === "Ready" && x.status === "True")) continue;
    await markPod(c, p);
    n++;
  }
  return n;
}

export const isReady = (p: Json) =>
  (p.status?.conditions ?? []).some((x: Json) => x.type === "Ready" && x.status === "True");

export function deployment(name: string, replicas: number, image = "nginx:1.27", extra: Json = {}): Json {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "main", image, ports: [{ name: "http", containerPort: 80 }] }] },
      },
      ...extra,
    },
  };
}

/** A StorageClass of the built-in provisioner, binding Immediate unless `fields` say otherwise. */
export const storageClass = (name: string, fields: Json = {}) => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name },
  provisioner: "flotilla.dev/local-path",
  volumeBindingMode: "Immediate",
  ...fields,
});

/** The message of the pod's FailedScheduling event, once the scheduler has recorded one. */
export const failedScheduling = (c: ClusterClient, pod: string): Promise<string> =>
  until(async () => {
    const q = `fieldSelector=involvedObject.name%3D${pod},reason%3DFailedScheduling`;
    return (await c.request("GET", `${NS}/events?${q}`)).body.items?.[0]?.message;
  }, `FailedScheduling for ${pod}`);
