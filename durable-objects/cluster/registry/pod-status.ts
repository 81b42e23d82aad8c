// The READY / STATUS / RESTARTS cells of `kubectl get pods`, computed as upstream's printPod
// (pkg/printers/internalversion/printers.go) does. Pods are plain JSON here, so the shapes
// below type only the fields the printer reads.
import { timestampAge } from "../../../kube/duration.ts";
import type { KubeObject } from "../../../kube/types.ts";

interface ContainerState {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
}

/** What the printer shows for one pod. */
export interface PodCells {
  ready: string;
  status: string;
  restarts: string;
}

/** node.NodeUnreachablePodReason: the node controller's reason for pods on a lost node. */
export const NODE_LOST_REASON = "NodeLost";

const isTerminalPhase = (phase: string) => phase === "Succeeded" || phase === "Failed";

/** podutil.IsRestartableInitContainer: a sidecar (an init container with restartPolicy Always). */
function isSidecar(spec: KubeObject["spec"], name: string): boolean {
  const ctr = (spec?.initContainers ?? []).find((c: { name: string }) => c.name === name);
  return ctr?.restartPolicy === "Always";
}

function hasCondition(conditions: Condition[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === "True");
}

/** Tracks the restart count and the newest last-termination time over a set of containers. */
class Restarts {
  count = 0;
  last = 0;
  add(s: ContainerStatus): void {
    this.count += s.restartCount ?? 0;
    const finished = s.lastState?.terminated?.finishedAt;
    const t = finished ? Date.parse(finished) : Number.NaN;
    if (!Number.isNaN(t) && t > this.last) this.last = t;
  }
}

interface Walk {
  reason: string;
  ready: number;
  initializing: boolean;
}

function initReason(s: ContainerStatus, index: number, total: number): string {
  const term = s.state?.terminated;
  if (term) {
    if (term.reason) return `Init:${term.reason}`;
    return term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
  }
  const waiting = s.state?.waiting?.reason;
  if (waiting && waiting !== "PodInitializing") return `Init:${waiting}`;
  return `Init:${index}/${total}`;
}

/** The init container pass: stops at the first init container that has not finished. */
function walkInitContainers(pod: KubeObject, walk: Walk, all: Restarts, sidecars: Restarts): void {
  const statuses: ContainerStatus[] = pod.status?.initContainerStatuses ?? [];
  const total = (pod.spec?.initContainers ?? []).length;
  for (const [i, s] of statuses.entries()) {
    all.add(s);
    const sidecar = isSidecar(pod.spec, s.name);
    if (sidecar) sidecars.add(s);
    if (s.state?.terminated && (s.state.terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && s.started === true) {
      if (s.ready) walk.ready++;
      continue;
    }
    walk.reason = initReason(s, i, total);
    walk.initializing = true;
    return;
  }
}

/** The regular container pass, last container first, so the first container's state wins. */
function walkContainers(pod: KubeObject, walk: Walk, restarts: Restarts): void {
  const statuses: ContainerStatus[] = pod.status?.containerStatuses ?? [];
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const s = statuses[i];
    restarts.add(s);
    const { waiting, terminated, running } = s.state ?? {};
    if (waiting?.reason) walk.reason = waiting.reason;
    else if (terminated?.reason) walk.reason = terminated.reason;
    else if (terminated)
      walk.reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
    else if (s.ready && running) {
      hasRunning = true;
      walk.ready++;
    }
  }
  if (walk.reason === "Completed" && hasRunning)
    walk.reason = hasCondition(pod.status?.conditions ?? [], "Ready") ? "Running" : "NotReady";
}

function baseReason(pod: KubeObject): string {
  const conditions: Condition[] = pod.status?.conditions ?? [];
  if (conditions.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) return "SchedulingGated";
  return pod.status?.reason || (pod.status?.phase ?? "");
}

function totalContainers(pod: KubeObject): number {
  const sidecars = (pod.spec?.initContainers ?? []).filter(
    (c: { restartPolicy?: string }) => c.restartPolicy === "Always",
  );
  return (pod.spec?.containers ?? []).length + sidecars.length;
}

/** printPod's READY, STATUS and RESTARTS cells at time `now` (ms since the epoch). */
export function podCells(pod: KubeObject, now: number): PodCells {
  const walk: Walk = { reason: baseReason(pod), ready: 0, initializing: false };
  let restarts = new Restarts();
  const sidecars = new Restarts();
  walkInitContainers(pod, walk, restarts, sidecars);
  const conditions: Condition[] = pod.status?.conditions ?? [];
  if (!walk.initializing || hasCondition(conditions, "Initialized")) {
    // Once initialized, only sidecar restarts still count among the init containers.
    restarts = sidecars;
    walkContainers(pod, walk, restarts);
  }
  const deleting = Boolean(pod.metadata.deletionTimestamp);
  if (deleting && pod.status?.reason === NODE_LOST_REASON) walk.reason = "Unknown";
  else if (deleting && !isTerminalPhase(pod.status?.phase ?? "")) walk.reason = "Terminating";
  const ago = restarts.last > 0 ? ` (${timestampAge(new Date(restarts.last).toISOString(), now)} ago)` : "";
  return {
    ready: `${walk.ready}/${totalContainers(pod)}`,
    status: walk.reason,
    restarts: restarts.count !== 0 ? `${restarts.count}${ago}` : "0",
  };
}

/** The READINESS GATES wide cell: "<true gates>/<gates>" or "<none>". */
export function readinessGatesCell(pod: KubeObject): string {
  const gates: { conditionType: string }[] = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  const conditions: Condition[] = pod.status?.conditions ?? [];
  const ok = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === "True").length;
  return `${ok}/${gates.length}`;
}

/** The pod's first IP, as the internal type carries it (podIPs, else the legacy podIP). */
export function podIP(pod: KubeObject): string {
  return pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? "";
}
