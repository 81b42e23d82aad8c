// How the agent recognises its containers after a restart: labels on every container it creates
// (never names alone), scoped by node so two agents on one runtime never touch each other's pods.
import type { Pod } from "../../../kube/pod-types.ts";

export const LABEL_NODE = "io.flotilla.node";
export const LABEL_POD_UID = "io.kubernetes.pod.uid";
export const LABEL_POD_NAME = "io.kubernetes.pod.name";
export const LABEL_POD_NAMESPACE = "io.kubernetes.pod.namespace";
export const LABEL_CONTAINER_NAME = "io.kubernetes.container.name";
export const LABEL_CONTAINER_KIND = "io.flotilla.container.kind";
export const LABEL_ATTEMPT = "io.flotilla.container.attempt";

export type ContainerKind = "infra" | "init" | "app" | "ephemeral";
const KINDS: readonly string[] = ["infra", "init", "app", "ephemeral"];

export interface ContainerIdentity {
  podUID: string;
  containerName: string;
  kind: ContainerKind;
  attempt: number;
}

export function containerLabels(
  nodeName: string,
  pod: Pod,
  id: Omit<ContainerIdentity, "podUID">,
): Record<string, string> {
  return {
    [LABEL_NODE]: nodeName,
    [LABEL_POD_UID]: pod.metadata.uid ?? "",
    [LABEL_POD_NAME]: pod.metadata.name ?? "",
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? "default",
    [LABEL_CONTAINER_NAME]: id.containerName,
    [LABEL_CONTAINER_KIND]: id.kind,
    [LABEL_ATTEMPT]: String(id.attempt),
  };
}

/**
 * When a container may be removed among its pod's: Podman refuses to remove one whose namespaces another
 * joins, so debug containers (in their target's PID namespace) go first and the infra container last.
 */
export function removalRank(labels: Record<string, string> | undefined): number {
  const kind = labels?.[LABEL_CONTAINER_KIND];
  return kind === "ephemeral" ? 0 : kind === "infra" ? 2 : 1;
}

/** The identity a container's labels carry, or undefined for containers that are not ours. */
export function identityOf(
  labels: Record<string, string> | undefined,
  nodeName: string,
): ContainerIdentity | undefined {
  if (!labels || labels[LABEL_NODE] !== nodeName) return undefined;
  const kind = labels[LABEL_CONTAINER_KIND];
  const attempt = Number(labels[LABEL_ATTEMPT]);
  if (!KINDS.includes(kind) || !Number.isInteger(attempt)) return undefined;
  return {
    podUID: labels[LABEL_POD_UID] ?? "",
    containerName: labels[LABEL_CONTAINER_NAME] ?? "",
    kind: kind as ContainerKind,
    attempt,
  };
}

/** A readable, unique name in the dockershim style: k8s_<container>_<pod>_<namespace>_<uid>_<attempt>. */
export function containerName(pod: Pod, name: string, attempt: number): string {
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, "-");
  return [
    "k8s",
    safe(name),
    safe(pod.metadata.name ?? ""),
    safe(pod.metadata.namespace ?? ""),
    pod.metadata.uid ?? "",
    attempt,
  ].join("_");
}

/** The infra container's name (dockershim: k8s_POD_…). */
export const INFRA_NAME = "POD";
