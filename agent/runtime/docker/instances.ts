// A pod's containers as the runtime holds them, grouped by container name, newest attempt first.
import type Docker from "dockerode";
import { identityOf } from "./labels.ts";

export interface PodInstances {
  infra?: Docker.ContainerInspectInfo;
  /** Every instance of each init/app container, newest attempt first. */
  byName: Map<string, Docker.ContainerInspectInfo[]>;
  all: Docker.ContainerInspectInfo[];
}

export const attemptOf = (info: Docker.ContainerInspectInfo, nodeName: string) =>
  identityOf(info.Config.Labels, nodeName)?.attempt ?? 0;

export function groupInstances(infos: Docker.ContainerInspectInfo[], nodeName: string): PodInstances {
  const byName = new Map<string, Docker.ContainerInspectInfo[]>();
  let infra: Docker.ContainerInspectInfo | undefined;
  for (const info of infos) {
    const id = identityOf(info.Config.Labels, nodeName);
    if (!id) continue;
    if (id.kind === "infra") {
      // Prefer a running infra container if an old one lingers.
      if (!infra || (info.State.Running && !infra.State.Running)) infra = info;
      continue;
    }
    const list = byName.get(id.containerName) ?? [];
    list.push(info);
    byName.set(id.containerName, list);
  }
  for (const list of byName.values()) list.sort((a, b) => attemptOf(b, nodeName) - attemptOf(a, nodeName));
  return { infra, byName, all: infos };
}

/** The pod IP from the infra container's network settings. */
export function podIPOf(infra: Docker.ContainerInspectInfo): string | undefined {
  // The typings omit the legacy top-level IPAddress that Docker and Podman still fill for the default network.
  const settings = infra.NetworkSettings as typeof infra.NetworkSettings & { IPAddress?: string };
  if (settings.IPAddress) return settings.IPAddress;
  for (const network of Object.values(settings.Networks ?? {})) if (network.IPAddress) return network.IPAddress;
  return undefined;
}

const epoch = (text: string) => {
  const ms = Date.parse(text);
  return Number.isNaN(ms) || text.startsWith("0001-") ? 0 : ms;
};
export const startedAtMs = (info: Docker.ContainerInspectInfo) => epoch(info.State.StartedAt);
export const finishedAtMs = (info: Docker.ContainerInspectInfo) => epoch(info.State.FinishedAt);
export const isExited = (info: Docker.ContainerInspectInfo) =>
  !info.State.Running && !info.State.Paused && !info.State.Restarting && startedAtMs(info) > 0;
