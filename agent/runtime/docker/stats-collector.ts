// Per-container usage of the node's running pods, read from the Engine API a few containers at a time.
// Each container's previous sample is kept, so CPU is a rate over the interval between two collections
// (metrics-server's way) and one-shot reads stay cheap: Docker otherwise waits a second per container.
import type { PodUsage } from "../../../kube/agent-protocol.ts";
import { LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from "./labels.ts";
import { containerRate, type EngineStats, parseStats, type StatsSample } from "./stats.ts";

/** A running app container of a pod. */
export interface StatsTarget {
  id: string;
  podUID: string;
  namespace: string;
  podName: string;
  container: string;
}

export interface PodsUsage {
  pods: PodUsage[];
  /** The mean window of the rates, or undefined when no container had two samples yet. */
  windowSeconds?: number;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 5_000;

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class StatsCollector {
  #last = new Map<string, StatsSample>();

  constructor(
    private readonly read: (id: string) => Promise<EngineStats>,
    private readonly concurrency = DEFAULT_CONCURRENCY,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /**
   * Usage per pod. A pod is left out until every one of its running containers has a rate, so its
   * total never counts only some of them (a container's first collection has no earlier sample).
   */
  async collect(targets: StatsTarget[]): Promise<PodsUsage> {
    const samples = new Map<string, StatsSample>();
    await forEachBounded(targets, this.concurrency, async (t) => {
      const doc = await withTimeout(this.read(t.id), this.timeoutMs).catch(() => undefined);
      const sample = doc && parseStats(doc);
      if (sample) samples.set(t.id, sample);
    });
    const pods = new Map<string, PodUsage | null>();
    const windows: number[] = [];
    for (const t of targets) {
      const sample = samples.get(t.id);
      const rate = sample && containerRate(sample, this.#last.get(t.id));
      const pod = pods.get(t.podUID);
      if (!rate) pods.set(t.podUID, null);
      else if (pod !== null) {
        const entry = pod ?? { uid: t.podUID, namespace: t.namespace, name: t.podName, containers: [] };
        entry.containers.push({ name: t.container, cpuNanoCores: rate.cpuNanoCores, memoryBytes: rate.memoryBytes });
        pods.set(t.podUID, entry);
        windows.push(rate.windowSeconds);
      }
    }
    this.#last = samples;
    const complete = [...pods.values()].filter((p): p is PodUsage => p !== null);
    const mean = windows.length ? windows.reduce((a, b) => a + b, 0) / windows.length : undefined;
    return { pods: complete, windowSeconds: mean };
  }
}

/** The running app containers among a pod's inspected containers (labels name the pod and container). */
export function statsTargets(
  infos: { Id: string; State: { Running: boolean }; Config: { Labels: Record<string, string> } }[],
  identity: (labels: Record<string, string>) => { kind: string } | undefined,
): StatsTarget[] {
  const out: StatsTarget[] = [];
  for (const info of infos) {
    const labels = info.Config.Labels ?? {};
    if (!info.State.Running || identity(labels)?.kind !== "app") continue;
    out.push({
      id: info.Id,
      podUID: labels[LABEL_POD_UID] ?? "",
      namespace: labels[LABEL_POD_NAMESPACE] ?? "default",
      podName: labels[LABEL_POD_NAME] ?? "",
      container: labels[LABEL_CONTAINER_NAME] ?? "",
    });
  }
  return out;
}
