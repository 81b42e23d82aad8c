// The node's real capacity and identity: CPUs, memory, pods (110, the kubelet's default), ephemeral storage;
// nodeInfo (OS image, kernel, architecture, container runtime); addresses; the well-known labels.
import { readFile, statfs } from "node:fs/promises";
import os from "node:os";
import type { NodeAddress, NodeSystemInfo } from "../kube/pod-types.ts";
import { memoryQuantity } from "./quantity.ts";

/** The version the agent reports as its kubelet (the server reports the same in /version). */
export const KUBELET_VERSION = "v1.32.0-flotilla";

/** The kubelet's default hard eviction threshold for memory.available, kept out of allocatable. */
const EVICTION_MEMORY_BYTES = 100 * 2 ** 20;

export interface NodeFacts {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  nodeInfo: NodeSystemInfo;
  addresses: NodeAddress[];
  labels: Record<string, string>;
  hostIP: string;
}

const readTrimmed = (path: string) =>
  readFile(path, "utf8").then(
    (s) => s.trim(),
    () => "",
  );

/** os-release's PRETTY_NAME ("Debian GNU/Linux 12 (bookworm)"). */
export function prettyName(osRelease: string): string | undefined {
  const line = osRelease.split("\n").find((l) => l.startsWith("PRETTY_NAME="));
  return line?.slice("PRETTY_NAME=".length).replace(/^"|"$/g, "");
}

/** Go's GOARCH names, as kubernetes.io/arch uses them. */
export function goArch(arch: string): string {
  return (
    (
      { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x" } as Record<
        string,
        string
      >
    )[arch] ?? arch
  );
}

/** The first non-internal IPv4 address (the InternalIP), or loopback when there is none. */
export function primaryAddress(interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): string {
  for (const list of Object.values(interfaces))
    for (const entry of list ?? []) if (entry.family === "IPv4" && !entry.internal) return entry.address;
  return "127.0.0.1";
}

export async function collectNodeFacts(
  nodeName: string,
  runtimeVersion: string,
  stateDir: string,
  extraLabels: Record<string, string>,
): Promise<NodeFacts> {
  const cpus = String(os.cpus().length);
  const memory = os.totalmem();
  const disk = await statfs(stateDir).catch(() => undefined);
  const storage = disk ? `${Math.floor((disk.blocks * disk.bsize) / 1024)}Ki` : undefined;
  const capacity: Record<string, string> = { cpu: cpus, memory: memoryQuantity(memory), pods: "110" };
  if (storage) capacity["ephemeral-storage"] = storage;
  const allocatable = { ...capacity, memory: memoryQuantity(Math.max(0, memory - EVICTION_MEMORY_BYTES)) };
  const machineID = (await readTrimmed("/etc/machine-id")) || nodeName;
  const arch = goArch(os.arch());
  const operatingSystem = os.platform() === "win32" ? "windows" : os.platform();
  const nodeInfo: NodeSystemInfo = {
    machineID,
    systemUUID: (await readTrimmed("/sys/class/dmi/id/product_uuid")) || machineID,
    bootID: await readTrimmed("/proc/sys/kernel/random/boot_id"),
    kernelVersion: os.release(),
    osImage: prettyName(await readTrimmed("/etc/os-release")) ?? `${os.type()} ${os.release()}`,
    containerRuntimeVersion: runtimeVersion,
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: "",
    operatingSystem,
    architecture: arch,
  };
  const hostIP = primaryAddress();
  const addresses: NodeAddress[] = [
    { type: "InternalIP", address: hostIP },
    { type: "Hostname", address: nodeName },
  ];
  const labels = {
    "kubernetes.io/hostname": nodeName,
    "kubernetes.io/os": operatingSystem,
    "kubernetes.io/arch": arch,
    "beta.kubernetes.io/os": operatingSystem,
    "beta.kubernetes.io/arch": arch,
    ...extraLabels,
  };
  return { capacity, allocatable, nodeInfo, addresses, labels, hostIP };
}

/** A node name from the host name, made a valid DNS-1123 subdomain as the kubelet does (lower case). */
export function defaultNodeName(hostname = os.hostname()): string {
  return (
    hostname
      .toLowerCase()
      .replace(/[^a-z0-9.-]/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "") || "node"
  );
}
