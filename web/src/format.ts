// What the live views show for nodes, pods and deployments, computed from the objects themselves
// the way kubectl's printers do (Ready condition, restarts summed over containers, ready/desired).
import { humanDuration } from "../../kube/duration.ts";
import type { KubeObject } from "../../kube/types.ts";

interface Condition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  reason?: string;
}

function conditions(obj: KubeObject): Condition[] {
  return (obj.status?.conditions as Condition[] | undefined) ?? [];
}

/** "Ready", "NotReady" or "Unknown", with ",SchedulingDisabled" for a cordoned node (kubectl's STATUS). */
export function nodeStatus(node: KubeObject): string {
  const ready = conditions(node).find((c) => c.type === "Ready");
  let text = !ready ? "Unknown" : ready.status === "True" ? "Ready" : ready.status === "False" ? "NotReady" : "Unknown";
  if (node.spec?.unschedulable) text += ",SchedulingDisabled";
  return text;
}

/** Age of the node's last heartbeat as recorded on its Ready condition. */
export function heartbeatAge(node: KubeObject, now: number): string {
  const beat = conditions(node).find((c) => c.type === "Ready")?.lastHeartbeatTime;
  return beat ? humanDuration(now - Date.parse(beat)) : "never";
}

const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A resource quantity ("250m", "1Gi", "2") as a plain number; NaN when it cannot be read. */
export function quantityValue(text: string | undefined): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(text ?? "");
  if (!m || !(m[2] in SUFFIX)) return Number.NaN;
  return Number(m[1]) * SUFFIX[m[2]];
}

export function formatCpu(cores: number): string {
  if (!Number.isFinite(cores)) return "?";
  return cores < 1 || !Number.isInteger(cores) ? `${Math.round(cores * 1000)}m` : `${cores}`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "?";
  const units = ["B", "Ki", "Mi", "Gi", "Ti"];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) {
    bytes /= 1024;
    i++;
  }
  return `${Number.isInteger(bytes) ? bytes : bytes.toFixed(1)}${units[i]}`;
}

interface Container {
  resources?: { requests?: Record<string, string> };
}

/** The sum of the containers' requests for one resource (cpu in cores, memory in bytes). */
export function podRequest(pod: KubeObject, resource: string): number {
  const containers = (pod.spec?.containers as Container[] | undefined) ?? [];
  return containers.reduce((sum, c) => {
    const q = quantityValue(c.resources?.requests?.[resource]);
    return Number.isNaN(q) ? sum : sum + q;
  }, 0);
}

export interface Allocation {
  cpu: string;
  memory: string;
  pods: string;
}

/** Requested / allocatable for the pods bound to a node that still hold resources. */
export function nodeAllocation(node: KubeObject, pods: KubeObject[]): Allocation {
  const alloc = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  const active = pods.filter((p) => !["Succeeded", "Failed"].includes(p.status?.phase));
  const cpu = active.reduce((s, p) => s + podRequest(p, "cpu"), 0);
  const memory = active.reduce((s, p) => s + podRequest(p, "memory"), 0);
  return {
    cpu: `${formatCpu(cpu)} / ${formatCpu(quantityValue(alloc.cpu))}`,
    memory: `${formatBytes(memory)} / ${formatBytes(quantityValue(alloc.memory))}`,
    pods: `${active.length} / ${alloc.pods ?? "?"}`,
  };
}

interface ContainerStatus {
  restartCount?: number;
  ready?: boolean;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

export function podRestarts(pod: KubeObject): number {
  const statuses = (pod.status?.containerStatuses as ContainerStatus[] | undefined) ?? [];
  return statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

/** kubectl's STATUS column in short: a waiting/terminated reason wins over the phase; deleting shows Terminating. */
export function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return "Terminating";
  const statuses = (pod.status?.containerStatuses as ContainerStatus[] | undefined) ?? [];
  for (const s of statuses) {
    const reason = s.state?.waiting?.reason ?? s.state?.terminated?.reason;
    if (reason && reason !== "Completed") return reason;
  }
  return pod.status?.reason ?? pod.status?.phase ?? "Pending";
}

/** ready/desired as `kubectl get deployments` prints READY. */
export function deploymentReady(d: KubeObject): string {
  return `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`;
}

/** A one-word rollout state from the Progressing and Available conditions. */
export function rolloutState(d: KubeObject): string {
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return "Progressing";
  if ((s.updatedReplicas ?? 0) < desired) return "Progressing";
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) return "Progressing";
  if ((s.availableReplicas ?? 0) < desired) return "Waiting";
  return "Complete";
}
