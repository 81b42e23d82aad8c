// A pod's containers of every sort and their statuses, for lookups by name (logs, exec, attach).
import type { Container, ContainerStatus, Pod } from "./pod-types.ts";

export function allContainers(pod: Pod): Container[] {
  const spec = pod.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])];
}

export function allContainerStatuses(pod: Pod): ContainerStatus[] {
  const status = pod.status;
  return [
    ...(status?.containerStatuses ?? []),
    ...(status?.initContainerStatuses ?? []),
    ...(status?.ephemeralContainerStatuses ?? []),
  ];
}
