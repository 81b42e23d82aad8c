// Which container a pods/log request reads, with upstream's wording: the apiserver's container choice
// (pkg/registry/core/pod/strategy.go LogLocation) and the kubelet's status checks (validateContainerLogStatus).
import { allContainerStatuses } from "../../../kube/pod-containers.ts";
import type { ContainerStatus, Pod } from "../../../kube/pod-types.ts";
import { badRequest } from "../../../kube/status.ts";

/** The container named, or the only one; a 400 naming the choices when the pod has several. */
export function logContainerName(pod: Pod, requested: string | undefined): string {
  const name = pod.metadata.name ?? "";
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const initNames = (pod.spec?.initContainers ?? []).map((c) => c.name);
  if (requested) {
    const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
    if (![...names, ...initNames, ...ephemeral].includes(requested))
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (names.length === 1) return names[0];
  if (names.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  let message = `a container name must be specified for pod ${name}, choose one of: [${names.join(" ")}]`;
  if (initNames.length > 0) message += ` or one of the init containers: [${initNames.join(" ")}]`;
  throw badRequest(message);
}

const IMAGE_PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff"]);

/** The runtime id (scheme stripped) of the container whose logs to read, or a 400 as the kubelet words it. */
export function logContainerID(pod: Pod, container: string, previous: boolean): string {
  const podName = pod.metadata.name ?? "";
  const statuses: ContainerStatus[] = allContainerStatuses(pod);
  const status = statuses.find((s) => s.name === container);
  const where = `container "${container}" in pod "${podName}"`;
  if (!status) throw badRequest(`${where} is not available`);
  const { state = {}, lastState = {} } = status;
  let id: string | undefined;
  if (previous) {
    id = lastState.terminated?.containerID;
    if (!id) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
  } else if (state.running) id = status.containerID;
  else if (state.terminated) {
    id = state.terminated.containerID ?? status.containerID;
    if (!id) throw badRequest(`${where} is terminated`);
  } else if (lastState.terminated) {
    id = lastState.terminated.containerID;
    if (!id) throw badRequest(`${where} is terminated`);
  } else if (state.waiting) {
    const reason = state.waiting.reason ?? "";
    if (IMAGE_PULL_REASONS.has(reason)) throw badRequest(`${where} is waiting to start: image can't be pulled`);
    throw badRequest(`${where} is waiting to start: ${reason}`);
  }
  if (!id) throw badRequest(`${where} is waiting to start - no logs yet`);
  return stripScheme(id);
}

/** "docker://abc" → "abc". */
export const stripScheme = (id: string) => id.replace(/^[a-z0-9+.-]+:\/\//i, "");
