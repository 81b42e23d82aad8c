// A pod's status from its containers' statuses, as the kubelet computes it (kubelet_pods.go getPhase,
// status/generate.go): phase, the PodScheduled / PodReadyToStartContainers / Initialized /
// ContainersReady / Ready conditions with upstream's reasons and messages.
import type { ContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from "../../kube/pod-types.ts";

export interface PodStatusInput {
  pod: Pod;
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
  /** Absent or empty for pods without ephemeral containers (the field is then left out, as upstream). */
  ephemeralContainerStatuses?: ContainerStatus[];
  /** The infra container (network namespace) is running. */
  sandboxReady: boolean;
  podIP?: string;
  hostIP?: string;
  startTime?: string;
  /** The last status sent, so unchanged conditions keep their lastTransitionTime. */
  previous?: Partial<PodStatus>;
  now: string;
}

type Condition = Omit<PodCondition, "lastTransitionTime" | "lastProbeTime">;

/** Whether an init container has completed successfully. */
const initDone = (s: ContainerStatus) => s.state.terminated?.exitCode === 0;

/** upstream getPhase. */
export function podPhase(pod: Pod, init: ContainerStatus[], main: ContainerStatus[]): PodPhase {
  const restartPolicy = pod.spec.restartPolicy ?? "Always";
  let pendingInit = 0;
  let failedInit = 0;
  for (const spec of pod.spec.initContainers ?? []) {
    const s = init.find((c) => c.name === spec.name);
    if (!s) pendingInit++;
    else if (s.state.running) pendingInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState.terminated && s.lastState.terminated.exitCode !== 0) failedInit++;
    else pendingInit++;
  }
  if (failedInit > 0 && restartPolicy === "Never") return "Failed";
  if (failedInit > 0 || pendingInit > 0) return "Pending";

  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let unknown = 0;
  for (const spec of pod.spec.containers) {
    const s = main.find((c) => c.name === spec.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (restartPolicy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (restartPolicy === "OnFailure") return "Running";
    return "Failed";
  }
  return "Pending";
}

const list = (names: string[]) => `[${names.join(" ")}]`;

function initializedCondition(pod: Pod, init: ContainerStatus[], phase: PodPhase): Condition {
  const specs = pod.spec.initContainers ?? [];
  if (specs.length === 0) return { type: "Initialized", status: "True" };
  const unknown = specs.filter((c) => !init.some((s) => s.name === c.name)).map((c) => c.name);
  const unready = specs.filter((c) => init.some((s) => s.name === c.name && !initDone(s))).map((c) => c.name);
  if (phase === "Succeeded" && unknown.length === 0)
    return { type: "Initialized", status: "True", reason: "PodCompleted" };
  const incomplete = [...unknown, ...unready];
  if (incomplete.length > 0)
    return {
      type: "Initialized",
      status: "False",
      reason: "ContainersNotInitialized",
      message: `containers with incomplete status: ${list(incomplete)}`,
    };
  return { type: "Initialized", status: "True" };
}

function containersReadyCondition(pod: Pod, main: ContainerStatus[], phase: PodPhase): Condition {
  const unknown = pod.spec.containers.filter((c) => !main.some((s) => s.name === c.name)).map((c) => c.name);
  const unready = pod.spec.containers.filter((c) => main.some((s) => s.name === c.name && !s.ready)).map((c) => c.name);
  if (phase === "Succeeded" && unknown.length === 0)
    return { type: "ContainersReady", status: "False", reason: "PodCompleted" };
  if (phase === "Failed") return { type: "ContainersReady", status: "False", reason: "PodFailed" };
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length > 0) messages.push(`containers with unready status: ${list(unready)}`);
  if (messages.length > 0)
    return { type: "ContainersReady", status: "False", reason: "ContainersNotReady", message: messages.join(", ") };
  return { type: "ContainersReady", status: "True" };
}

function readyCondition(pod: Pod, containersReady: Condition, previous?: Partial<PodStatus>): Condition {
  if (containersReady.status !== "True") return { ...containersReady, type: "Ready" };
  for (const gate of pod.spec.readinessGates ?? []) {
    const found = previous?.conditions?.find((c) => c.type === gate.conditionType);
    if (!found)
      return {
        type: "Ready",
        status: "False",
        reason: "ReadinessGatesNotReady",
        message: `corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`,
      };
    if (found.status !== "True")
      return {
        type: "Ready",
        status: "False",
        reason: "ReadinessGatesNotReady",
        message: `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${found.status}`,
      };
  }
  return { type: "Ready", status: "True" };
}

/** Keeps lastTransitionTime when a condition's status did not change. */
function stamp(condition: Condition, previous: Partial<PodStatus> | undefined, now: string): PodCondition {
  const before = previous?.conditions?.find((c) => c.type === condition.type);
  const lastTransitionTime = before && before.status === condition.status ? (before.lastTransitionTime ?? now) : now;
  return { ...condition, lastProbeTime: null, lastTransitionTime };
}

export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod, initContainerStatuses: init, containerStatuses: main, previous, now } = input;
  const phase = podPhase(pod, init, main);
  const containersReady = containersReadyCondition(pod, main, phase);
  const conditions: Condition[] = [
    { type: "PodReadyToStartContainers", status: input.sandboxReady ? "True" : "False" },
    initializedCondition(pod, init, phase),
    readyCondition(pod, containersReady, previous),
    containersReady,
    { type: "PodScheduled", status: "True" },
  ];
  const status: PodStatus = {
    phase,
    conditions: conditions.map((c) => stamp(c, previous, now)),
    containerStatuses: main,
  };
  if ((pod.spec.initContainers ?? []).length > 0) status.initContainerStatuses = init;
  if ((pod.spec.ephemeralContainers ?? []).length > 0)
    status.ephemeralContainerStatuses = input.ephemeralContainerStatuses;
  if (input.hostIP) {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  if (input.podIP) {
    status.podIP = input.podIP;
    status.podIPs = [{ ip: input.podIP }];
  }
  if (input.startTime) status.startTime = input.startTime;
  return status;
}

/** The reason a terminated container shows, as the kubelet's Docker/CRI mapping gives it. */
export function terminatedReason(exitCode: number, oomKilled: boolean): string {
  if (oomKilled) return "OOMKilled";
  return exitCode === 0 ? "Completed" : "Error";
}

/** A waiting status for a container that has not run yet (ContainerCreating, or PodInitializing behind init). */
export function waitingStatus(name: string, image: string, reason: string, message?: string): ContainerStatus {
  const waiting = message ? { reason, message } : { reason };
  return { name, state: { waiting }, lastState: {}, ready: false, restartCount: 0, image, imageID: "", started: false };
}
