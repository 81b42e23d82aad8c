// The latest usage each node reported with its sync, held in memory only: metrics are not history, so
// nothing reaches the store and the revision counter never moves. A sample lapses two heartbeat intervals
// plus its window after it arrived (a node that stopped syncing stops showing usage, as with
// metrics-server). A node speaks only for the pods bound to it.
import type { MetricsReport } from "../../../kube/agent-protocol.ts";

export interface PodMetricsSample {
  /** When the usage was measured (ms since the epoch). */
  timestamp: number;
  windowSeconds: number;
  containers: { name: string; cpuMillicores: number; memoryBytes: number }[];
}

export interface NodeMetricsSample {
  timestamp: number;
  windowSeconds: number;
  cpuMillicores: number;
  memoryBytes: number;
}

export interface MetricsReader {
  podMetrics(namespace: string, name: string): PodMetricsSample | undefined;
  nodeMetrics(node: string): NodeMetricsSample | undefined;
}

/** Usage in the units the metrics API formats exactly: nanocores and bytes. */
export interface RawUsage {
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface RawPodSample {
  timestamp: number;
  windowSeconds: number;
  containers: ({ name: string } & RawUsage)[];
}

export interface RawNodeSample extends RawUsage {
  timestamp: number;
  windowSeconds: number;
}

/** Where a pod is bound and its uid, from the store; undefined when it does not exist. */
export type PodBinding = (namespace: string, name: string) => { uid: string; nodeName?: string } | undefined;

interface Held<T> {
  sample: T;
  expiresAt: number;
}

interface HeldPod extends Held<RawPodSample> {
  uid: string;
  node: string;
}

const podKey = (namespace: string, name: string) => `${namespace}/${name}`;
const finite = (n: unknown): number => (typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : 0);

export class MetricsWindow implements MetricsReader {
  #nodes = new Map<string, Held<RawNodeSample>>();
  #pods = new Map<string, HeldPod>();
  #podsOfNode = new Map<string, Set<string>>();

  constructor(
    private readonly binding: PodBinding,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A node's report replaces everything it reported before. Pods not bound to `node` (or whose uid is
   * not the current pod's) are ignored. Returns how many pods were accepted.
   */
  record(node: string, report: MetricsReport, heartbeatSeconds: number): number {
    const now = this.now();
    const windowSeconds = finite(report.windowSeconds);
    const measured = Date.parse(report.timestamp);
    // The agent's clock may run ahead; a measurement is never newer than its arrival.
    const timestamp = Number.isFinite(measured) ? Math.min(measured, now) : now;
    const expiresAt = now + (2 * heartbeatSeconds + windowSeconds) * 1000;
    const usage = (u: Partial<RawUsage> | undefined): RawUsage => ({
      cpuNanoCores: finite(u?.cpuNanoCores),
      memoryBytes: finite(u?.memoryBytes),
    });
    this.#nodes.set(node, { sample: { timestamp, windowSeconds, ...usage(report.node) }, expiresAt });
    for (const key of this.#podsOfNode.get(node) ?? []) this.#pods.delete(key);
    const keys = new Set<string>();
    for (const pod of Array.isArray(report.pods) ? report.pods : []) {
      if (typeof pod?.namespace !== "string" || typeof pod.name !== "string") continue;
      const bound = this.binding(pod.namespace, pod.name);
      if (!bound || bound.uid !== pod.uid || bound.nodeName !== node) continue;
      const containers = (Array.isArray(pod.containers) ? pod.containers : [])
        .filter((c) => typeof c?.name === "string")
        .map((c) => ({ name: c.name, ...usage(c) }));
      const key = podKey(pod.namespace, pod.name);
      this.#pods.set(key, { sample: { timestamp, windowSeconds, containers }, expiresAt, uid: pod.uid, node });
      keys.add(key);
    }
    this.#podsOfNode.set(node, keys);
    return keys.size;
  }

  /** The pod's latest usage in nanocores, if fresh and still of the pod that exists under that name. */
  podUsage(namespace: string, name: string): RawPodSample | undefined {
    const key = podKey(namespace, name);
    const held = this.#pods.get(key);
    if (!held) return undefined;
    const bound = this.binding(namespace, name);
    if (this.now() >= held.expiresAt || bound?.uid !== held.uid || bound.nodeName !== held.node) {
      this.#pods.delete(key);
      this.#podsOfNode.get(held.node)?.delete(key);
      return undefined;
    }
    return held.sample;
  }

  nodeUsage(node: string): RawNodeSample | undefined {
    const held = this.#nodes.get(node);
    if (!held) return undefined;
    if (this.now() < held.expiresAt) return held.sample;
    this.forgetNode(node);
    return undefined;
  }

  podMetrics(namespace: string, name: string): PodMetricsSample | undefined {
    const raw = this.podUsage(namespace, name);
    if (!raw) return undefined;
    const containers = raw.containers.map((c) => ({
      name: c.name,
      cpuMillicores: c.cpuNanoCores / 1e6,
      memoryBytes: c.memoryBytes,
    }));
    return { timestamp: raw.timestamp, windowSeconds: raw.windowSeconds, containers };
  }

  nodeMetrics(node: string): NodeMetricsSample | undefined {
    const raw = this.nodeUsage(node);
    if (!raw) return undefined;
    const { timestamp, windowSeconds, cpuNanoCores, memoryBytes } = raw;
    return { timestamp, windowSeconds, cpuMillicores: cpuNanoCores / 1e6, memoryBytes };
  }

  /** Drops a node's samples (and its pods'). */
  forgetNode(node: string): void {
    this.#nodes.delete(node);
    for (const key of this.#podsOfNode.get(node) ?? []) this.#pods.delete(key);
    this.#podsOfNode.delete(node);
  }
}

/** The binding lookup over the object store's pods. */
export function storePodBinding(get: (namespace: string, name: string) => { object: unknown } | undefined): PodBinding {
  return (namespace, name) => {
    const pod = get(namespace, name)?.object as
      | { metadata?: { uid?: string }; spec?: { nodeName?: string } }
      | undefined;
    return pod ? { uid: pod.metadata?.uid ?? "", nodeName: pod.spec?.nodeName } : undefined;
  };
}
