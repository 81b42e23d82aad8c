// Container statuses from what the runtime reports (docker inspect), as the kubelet converts CRI statuses.
import type Docker from "dockerode";
import type { ContainerState, ContainerStateTerminated, ContainerStatus } from "../../../kube/pod-types.ts";
import { terminatedReason } from "../../pod/status.ts";

/** Docker reports unset times as the zero time; Podman sometimes as an empty string. */
export function dockerTime(text: string | undefined): string | undefined {
  if (!text || text.startsWith("0001-01-01")) return undefined;
  const ms = Date.parse(text);
  // Kubernetes timestamps are RFC 3339 with whole seconds.
  return Number.isNaN(ms) ? undefined : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export const containerID = (id: string) => `docker://${id}`;

export function terminatedOf(info: Docker.ContainerInspectInfo): ContainerStateTerminated {
  const state = info.State;
  const terminated: ContainerStateTerminated = {
    exitCode: state.ExitCode,
    reason: terminatedReason(state.ExitCode, state.OOMKilled),
    startedAt: dockerTime(state.StartedAt),
    finishedAt: dockerTime(state.FinishedAt),
    containerID: containerID(info.Id),
  };
  if (state.Error) terminated.message = state.Error;
  return terminated;
}

/** The current state of one container instance. A created-but-never-started container is still creating. */
export function stateOf(info: Docker.ContainerInspectInfo): ContainerState {
  const state = info.State;
  if (state.Running || state.Paused || state.Restarting) return { running: { startedAt: dockerTime(state.StartedAt) } };
  if (state.Status === "created" || state.Status === "configured" || !dockerTime(state.StartedAt))
    return { waiting: { reason: "ContainerCreating" } };
  return { terminated: terminatedOf(info) };
}

export interface ObservedContainer {
  /** The newest instance (highest attempt). */
  current?: Docker.ContainerInspectInfo;
  /** The instance before it, for lastState. */
  previous?: Docker.ContainerInspectInfo;
  attempt: number;
  image: string;
  /** A waiting reason the worker imposes (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError …). */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
}

/** One entry of status.containerStatuses / initContainerStatuses. */
export function containerStatusOf(name: string, o: ObservedContainer): ContainerStatus {
  let state: ContainerState = o.current ? stateOf(o.current) : { waiting: { reason: "ContainerCreating" } };
  // A worker's waiting reason replaces a terminated state only for the container it is about to replace.
  if (o.waiting && !state.running)
    state = { waiting: o.waiting.message ? { ...o.waiting } : { reason: o.waiting.reason } };
  let lastState: ContainerState = {};
  const last = o.waiting && o.current && !stateOf(o.current).running ? o.current : o.previous;
  if (last && !last.State.Running && dockerTime(last.State.StartedAt)) lastState = { terminated: terminatedOf(last) };
  const status: ContainerStatus = {
    name,
    state,
    lastState,
    ready: Boolean(state.running) && o.ready,
    restartCount: o.attempt,
    image: o.current?.Config.Image ?? o.image,
    imageID: o.current ? `docker-pullable://${o.current.Image}` : "",
    started: Boolean(state.running) && o.started,
  };
  if (o.current && !state.waiting) status.containerID = containerID(o.current.Id);
  return status;
}
