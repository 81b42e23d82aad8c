// The node's conditions as the kubelet reports them (Ready, MemoryPressure, DiskPressure, PIDPressure), with
// upstream's reasons and messages. lastTransitionTime moves only when a condition's status changes.
import type { NodeCondition } from "../kube/pod-types.ts";

export interface NodeHealth {
  runtimeUp: boolean;
  runtimeError?: string;
  memoryAvailableBytes: number;
  diskAvailableFraction: number;
}

/** The kubelet's default hard eviction thresholds. */
const MEMORY_PRESSURE_BYTES = 100 * 2 ** 20;
export const DISK_PRESSURE_FRACTION = 0.1;

type Pending = Omit<NodeCondition, "lastTransitionTime" | "lastHeartbeatTime">;

export function nodeConditions(health: NodeHealth, previous: NodeCondition[], now: string): NodeCondition[] {
  const memory = health.memoryAvailableBytes < MEMORY_PRESSURE_BYTES;
  const disk = health.diskAvailableFraction < DISK_PRESSURE_FRACTION;
  const conditions: Pending[] = [
    memory
      ? {
          type: "MemoryPressure",
          status: "True",
          reason: "KubeletHasInsufficientMemory",
          message: "kubelet has insufficient memory available",
        }
      : {
          type: "MemoryPressure",
          status: "False",
          reason: "KubeletHasSufficientMemory",
          message: "kubelet has sufficient memory available",
        },
    disk
      ? { type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure", message: "kubelet has disk pressure" }
      : {
          type: "DiskPressure",
          status: "False",
          reason: "KubeletHasNoDiskPressure",
          message: "kubelet has no disk pressure",
        },
    {
      type: "PIDPressure",
      status: "False",
      reason: "KubeletHasSufficientPID",
      message: "kubelet has sufficient PID available",
    },
    health.runtimeUp
      ? { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }
      : {
          type: "Ready",
          status: "False",
          reason: "KubeletNotReady",
          message: `container runtime is down${health.runtimeError ? `: ${health.runtimeError}` : ""}`,
        },
  ];
  return conditions.map((c) => {
    const before = previous.find((p) => p.type === c.type);
    const same = before && before.status === c.status && before.reason === c.reason;
    const lastTransitionTime = same ? (before.lastTransitionTime ?? now) : now;
    return { ...c, lastHeartbeatTime: same ? (before.lastHeartbeatTime ?? now) : now, lastTransitionTime };
  });
}
