// Builders for unit tests: kwok-style node and pod objects turned into the scheduler's views.
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { SchedulerCache } from "./cache.ts";
import { podInfo } from "./pod-info.ts";
import type { PodInfo } from "./types.ts";

export interface TestNode {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: LooseObject[];
  unschedulable?: boolean;
  ready?: string;
  images?: { names: string[]; sizeBytes: number }[];
}

export function nodeObject(n: TestNode): KubeObject {
  const capacity = { cpu: n.cpu ?? "4", memory: n.memory ?? "8Gi", pods: n.pods ?? "110" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: n.name, labels: { "kubernetes.io/hostname": n.name, ...n.labels } },
    spec: { taints: n.taints, unschedulable: n.unschedulable },
    status: {
      capacity,
      allocatable: capacity,
      conditions: n.ready === "none" ? [] : [{ type: "Ready", status: n.ready ?? "True" }],
      images: n.images,
    },
  };
}

let uid = 0;

/** A pod with one container; `cpu`/`memory` become its requests; `spec` is merged in. */
export function testPod(
  name: string,
  o: {
    cpu?: string;
    memory?: string;
    labels?: Record<string, string>;
    spec?: LooseObject;
    namespace?: string;
    owner?: string;
    created?: number;
  } = {},
): PodInfo {
  const requests: LooseObject = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const ns = o.namespace ?? "default";
  const obj: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${++uid}`,
      labels: o.labels ?? {},
      creationTimestamp: new Date(o.created ?? 1_700_000_000_000 + uid * 1000).toISOString(),
      ownerReferences: o.owner
        ? [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: o.owner, uid: o.owner, controller: true }]
        : undefined,
    },
    spec: { containers: [{ name: "main", image: "nginx:1.27", resources: { requests } }], ...o.spec },
  };
  return podInfo(`pods/${ns}/${name}`, obj);
}

/** A cache with these nodes and, per node name, the pods already bound there. */
export function testCache(nodes: TestNode[], placed: Record<string, PodInfo[]> = {}): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(nodeObject(n));
  for (const [node, pods] of Object.entries(placed)) for (const p of pods) cache.addPod({ ...p, nodeName: node });
  cache.setNamespace("default", { "kubernetes.io/metadata.name": "default" });
  return cache;
}
