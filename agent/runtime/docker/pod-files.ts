// The files the kubelet and its runtime give every container of a pod: /etc/hosts (kubelet-managed),
// /etc/resolv.conf (by dnsPolicy) and /etc/hostname, written into the pod's directory once its IP is known
// (after the sandbox starts) and bind-mounted into each container. Files are rewritten in place, never
// replaced, so running containers see a change (a bind mount holds the inode).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Pod } from "../../../kube/pod-types.ts";
import type { ResolvConf } from "../../dns/resolv-conf.ts";
import { renderResolvConf } from "../../dns/resolv-conf.ts";
import { podDNSConfig } from "../../pod/dns-config.ts";
import { hostNetworkHosts, managedHosts, podUTSName } from "../../pod/hosts.ts";
import type { BindMount } from "../../pod/volumes.ts";

/** Where the node's DNS settings come from (the agent's cluster DNS server and the host). */
export interface PodNetworkConfig {
  clusterDomain: string;
  /** The address pods query for cluster names, or undefined when this node serves no cluster DNS. */
  clusterDNS(): Promise<string | undefined>;
  hostResolvConf(): Promise<ResolvConf>;
  /** The node's own /etc/hosts, for hostNetwork pods. */
  nodeHostsFile?: string;
}

export interface PodFiles {
  mounts: BindMount[];
  /** Upstream's DNSConfigForming / MissingClusterDNS warnings, for events. */
  warnings: { reason: string; message: string }[];
}

const FILES = { hosts: "etc-hosts", resolv: "resolv.conf", hostname: "etc-hostname" } as const;

/** What this agent last wrote per path, so a reconcile pass that changes nothing reads nothing. */
export type WrittenFiles = Map<string, string>;

async function writeIfChanged(path: string, content: string, written: WrittenFiles): Promise<void> {
  if (written.get(path) === content) return;
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current !== content) await writeFile(path, content, { mode: 0o644 });
  written.set(path, content);
}

export async function writePodFiles(
  podDir: string,
  pod: Pod,
  podIP: string | undefined,
  config: PodNetworkConfig,
  written: WrittenFiles = new Map(),
): Promise<PodFiles> {
  const hostNetwork = pod.spec.hostNetwork === true;
  const { conf, warnings } = podDNSConfig({
    pod,
    clusterDNS: await config.clusterDNS(),
    clusterDomain: config.clusterDomain,
    host: await config.hostResolvConf(),
  });
  const hosts = hostNetwork
    ? hostNetworkHosts(pod, await readFile(config.nodeHostsFile ?? "/etc/hosts", "utf8").catch(() => ""))
    : managedHosts(pod, podIP ? [podIP] : [], config.clusterDomain);
  await mkdir(podDir, { recursive: true });
  await writeIfChanged(join(podDir, FILES.hosts), hosts, written);
  await writeIfChanged(join(podDir, FILES.resolv), renderResolvConf(conf), written);
  const mounts: BindMount[] = [
    { source: join(podDir, FILES.hosts), target: "/etc/hosts", readOnly: false },
    { source: join(podDir, FILES.resolv), target: "/etc/resolv.conf", readOnly: false },
  ];
  if (!hostNetwork) {
    await writeIfChanged(join(podDir, FILES.hostname), `${podUTSName(pod, config.clusterDomain)}\n`, written);
    mounts.push({ source: join(podDir, FILES.hostname), target: "/etc/hostname", readOnly: false });
  }
  return { mounts, warnings };
}

/** The pod files a container gets: all but those it mounts a volume over itself. */
export function podFileMounts(files: BindMount[], own: BindMount[]): BindMount[] {
  return files.filter((f) => !own.some((m) => m.target === f.target));
}
