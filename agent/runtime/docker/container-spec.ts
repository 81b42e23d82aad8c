// Docker Engine API create options for a pod's containers. Pure: everything the runtime resolved
// (env, mounts, the infra container's id) comes in as arguments.
import type Docker from "dockerode";
import type { Container, Pod } from "../../../kube/pod-types.ts";
import { CLUSTER_DOMAIN } from "../../dns/zone.ts";
import { podUTSName } from "../../pod/hosts.ts";
import type { BindMount } from "../../pod/volumes.ts";
import { parseQuantity } from "../../quantity.ts";
import { type ContainerKind, containerLabels, containerName, INFRA_NAME } from "./labels.ts";
import { securityOptionsOf } from "./security-context.ts";

export const DEFAULT_INFRA_IMAGE = "docker.io/library/busybox:latest";

/** Keeps the network namespace alive: PID 1 ignores SIGTERM, so the infra container is always killed. */
const INFRA_COMMAND = ["sleep", "2147483647"];

/** What `hostname` prints in the pod, as upstream's GeneratePodHostNameAndDomain (and setHostnameAsFQDN). */
export function podHostname(pod: Pod): string {
  return podUTSName(pod, CLUSTER_DOMAIN);
}

export function infraCreateOptions(
  nodeName: string,
  pod: Pod,
  image = DEFAULT_INFRA_IMAGE,
  network = "bridge",
): Docker.ContainerCreateOptions {
  const hostNetwork = pod.spec.hostNetwork === true;
  return {
    name: containerName(pod, INFRA_NAME, 0),
    Image: image,
    Entrypoint: INFRA_COMMAND,
    Cmd: [],
    Hostname: hostNetwork ? undefined : podHostname(pod),
    Labels: containerLabels(nodeName, pod, { containerName: INFRA_NAME, kind: "infra", attempt: 0 }),
    HostConfig: {
      NetworkMode: hostNetwork ? "host" : network,
      ...(hostNetwork ? { UTSMode: "host" } : {}),
      RestartPolicy: { Name: "no" },
    },
  };
}

/** resources.limits as container limits: cpu → NanoCpus, memory → bytes. */
export function limitsOf(container: Container): { NanoCpus?: number; Memory?: number } {
  const limits = container.resources?.limits ?? {};
  const out: { NanoCpus?: number; Memory?: number } = {};
  const cpu = limits.cpu !== undefined ? parseQuantity(limits.cpu) : undefined;
  const memory = limits.memory !== undefined ? parseQuantity(limits.memory) : undefined;
  if (cpu) out.NanoCpus = Math.round(cpu * 1e9);
  if (memory) out.Memory = Math.round(memory);
  return out;
}

function userOf(pod: Pod, container: Container): string | undefined {
  const uid = container.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
  const gid = container.securityContext?.runAsGroup ?? pod.spec.securityContext?.runAsGroup;
  if (uid === undefined) return gid === undefined ? undefined : `0:${gid}`;
  return gid === undefined ? String(uid) : `${uid}:${gid}`;
}

export interface AppContainerInput {
  nodeName: string;
  pod: Pod;
  container: Container;
  kind: Exclude<ContainerKind, "infra">;
  attempt: number;
  infraId: string;
  env: [string, string][];
  command?: string[];
  args?: string[];
  mounts: BindMount[];
  /** The UTS namespace to join: "host" for hostNetwork pods, container:<infra> where the runtime needs telling. */
  utsMode?: string;
  /** The PID namespace to join (container:<id>), if not the container's own. */
  pidMode?: string;
}

/**
 * Kubernetes' command/args over the image's ENTRYPOINT/CMD: command replaces ENTRYPOINT and drops the image's
 * CMD; args alone replace CMD only. Docker drops the image CMD itself whenever Entrypoint is given.
 */
export function appCreateOptions(input: AppContainerInput): Docker.ContainerCreateOptions {
  const { pod, container } = input;
  const options: Docker.ContainerCreateOptions = {
    name: containerName(pod, container.name, input.attempt),
    Image: container.image,
    Env: input.env.map(([k, v]) => `${k}=${v}`),
    Labels: containerLabels(input.nodeName, pod, {
      containerName: container.name,
      kind: input.kind,
      attempt: input.attempt,
    }),
    WorkingDir: container.workingDir,
    // Interactive containers, as the kubelet creates them: stdin kept open for attach, closed after the
    // first client leaves with stdinOnce; the process gets a terminal with tty.
    Tty: container.tty === true,
    OpenStdin: container.stdin === true,
    StdinOnce: container.stdin === true && container.stdinOnce === true,
    User: userOf(pod, container),
    HostConfig: {
      NetworkMode: `container:${input.infraId}`,
      IpcMode: `container:${input.infraId}`,
      ...(input.utsMode ? { UTSMode: input.utsMode } : {}),
      ...(input.pidMode ? { PidMode: input.pidMode } : {}),
      Binds: input.mounts.map((m) => `${m.source}:${m.target}${m.readOnly ? ":ro" : ""}`),
      ReadonlyRootfs: container.securityContext?.readOnlyRootFilesystem === true,
      Privileged: container.securityContext?.privileged === true,
      ...securityOptionsOf(pod, container),
      RestartPolicy: { Name: "no" },
      ...limitsOf(container),
    },
  };
  if (input.command) {
    options.Entrypoint = input.command;
    options.Cmd = input.args ?? [];
  } else if (input.args) options.Cmd = input.args;
  return options;
}
