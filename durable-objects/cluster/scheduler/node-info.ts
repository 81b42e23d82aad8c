// NodeInfo: one node and the pods assigned to it, with running totals of what they request
// and the host ports they hold, updated pod by pod (never recomputed per cycle).
import type { KubeObject } from "../../../kube/types.ts";
import { addResources, emptyResources, normalizeImage, quantityUnits, resourcesOf } from "./pod-info.ts";
import type { HostPort, NodeInfoView, PodInfo, Resources, Taint } from "./types.ts";

interface Condition {
  type?: string;
  status?: string;
}

export class NodeInfo implements NodeInfoView {
  readonly name: string;
  node: KubeObject | undefined;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  ready = "Unknown";
  allocatable: Resources = emptyResources();
  allowedPods = 0;
  requested: Resources = emptyResources();
  nonZeroRequested = { cpu: 0, memory: 0 };
  pods = new Map<string, PodInfo>();
  usedPorts: HostPort[] = [];
  images = new Map<string, number>();

  constructor(name: string) {
    this.name = name;
  }

  setNode(node: KubeObject | undefined): void {
    this.node = node;
    this.labels = node?.metadata.labels ?? {};
    this.taints = node?.spec?.taints ?? [];
    this.unschedulable = node?.spec?.unschedulable === true;
    const conditions: Condition[] = node?.status?.conditions ?? [];
    this.ready = conditions.filter((c) => c.type === "Ready").at(-1)?.status ?? "Unknown";
    const alloc = node?.status?.allocatable ?? node?.status?.capacity;
    this.allocatable = resourcesOf(alloc);
    this.allowedPods = quantityUnits(alloc?.pods);
    this.images = new Map();
    for (const img of node?.status?.images ?? [])
      for (const n of img.names ?? []) this.images.set(normalizeImage(n), Number(img.sizeBytes) || 0);
  }

  addPod(pod: PodInfo): void {
    this.pods.set(pod.key, pod);
    addResources(this.requested, pod.requests);
    this.nonZeroRequested.cpu += pod.nonZero.cpu;
    this.nonZeroRequested.memory += pod.nonZero.memory;
    for (const p of pod.hostPorts) this.usedPorts.push(p);
  }

  removePod(key: string): PodInfo | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    addResources(this.requested, pod.requests, -1);
    this.nonZeroRequested.cpu -= pod.nonZero.cpu;
    this.nonZeroRequested.memory -= pod.nonZero.memory;
    if (pod.hostPorts.length) {
      const mine = new Set(pod.hostPorts);
      this.usedPorts = this.usedPorts.filter((p) => !mine.has(p));
    }
    return pod;
  }

  /** A copy whose pod set may change without touching this one (preemption's what-if). */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name);
    copy.node = this.node;
    copy.labels = this.labels;
    copy.taints = this.taints;
    copy.unschedulable = this.unschedulable;
    copy.ready = this.ready;
    copy.allocatable = this.allocatable;
    copy.allowedPods = this.allowedPods;
    copy.images = this.images;
    copy.requested = structuredClone(this.requested);
    copy.nonZeroRequested = { ...this.nonZeroRequested };
    copy.pods = new Map(this.pods);
    copy.usedPorts = [...this.usedPorts];
    return copy;
  }
}
