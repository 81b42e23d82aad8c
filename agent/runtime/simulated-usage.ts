// Scripted usage for simulated pods, so autoscaling and `kubectl top` can be exercised without processes.
// The pod annotation sim.flotilla.dev/usage holds JSON: per container {"web": {"cpu": "250m", "memory":
// "64Mi"}}, or one {"cpu": …, "memory": …} for every container. Without it each container uses a little.
import { DEFAULT_HEARTBEAT_SECONDS, type MetricsReport, type PodUsage } from "../../kube/agent-protocol.ts";
import type { Pod } from "../../kube/pod-types.ts";
import { parseQuantity } from "../quantity.ts";

export const USAGE_ANNOTATION = "sim.flotilla.dev/usage";

export interface Usage {
  cpuNanoCores: number;
  memoryBytes: number;
}

/** What an idle container uses: 1m CPU, 4 MiB. */
export const DEFAULT_CONTAINER_USAGE: Usage = { cpuNanoCores: 1_000_000, memoryBytes: 4 * 2 ** 20 };
/** The node's own processes (the agent, the runtime), beneath what its pods use. */
export const NODE_BASELINE_USAGE: Usage = { cpuNanoCores: 50_000_000, memoryBytes: 256 * 2 ** 20 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One {"cpu","memory"} entry; a missing or malformed quantity keeps the default. */
function usageOf(entry: unknown): Usage {
  const spec = isRecord(entry) ? entry : {};
  const cpu = typeof spec.cpu === "string" ? parseQuantity(spec.cpu) : undefined;
  const memory = typeof spec.memory === "string" ? parseQuantity(spec.memory) : undefined;
  return {
    cpuNanoCores: cpu !== undefined && cpu >= 0 ? Math.round(cpu * 1e9) : DEFAULT_CONTAINER_USAGE.cpuNanoCores,
    memoryBytes: memory !== undefined && memory >= 0 ? Math.round(memory) : DEFAULT_CONTAINER_USAGE.memoryBytes,
  };
}

/** Usage per container name as the annotation scripts it. */
export function scriptedUsage(pod: Pod): Record<string, Usage> {
  let script: unknown;
  try {
    script = JSON.parse(pod.metadata.annotations?.[USAGE_ANNOTATION] ?? "null");
  } catch {
    script = null;
  }
  // A container named "cpu" maps to an object, the shared form to a quantity string.
  const shared = isRecord(script) && (typeof script.cpu === "string" || typeof script.memory === "string");
  const out: Record<string, Usage> = {};
  for (const c of pod.spec.containers)
    out[c.name] = usageOf(shared ? script : isRecord(script) ? script[c.name] : undefined);
  return out;
}

/** A report for the simulated node: its pods' scripted usage, the node as their sum over a baseline. */
export function simulatedMetrics(pods: Pod[], now: number, windowSeconds?: number): MetricsReport {
  const node = { ...NODE_BASELINE_USAGE };
  const usages: PodUsage[] = pods.map((pod) => {
    const containers = Object.entries(scriptedUsage(pod)).map(([name, u]) => ({ name, ...u }));
    for (const c of containers) {
      node.cpuNanoCores += c.cpuNanoCores;
      node.memoryBytes += c.memoryBytes;
    }
    const { uid = "", namespace = "default", name = "" } = pod.metadata;
    return { uid, namespace, name, containers };
  });
  return {
    timestamp: new Date(now).toISOString().replace(/\.\d+Z$/, "Z"),
    windowSeconds: windowSeconds && windowSeconds > 0 ? windowSeconds : DEFAULT_HEARTBEAT_SECONDS,
    node,
    pods: usages,
  };
}
