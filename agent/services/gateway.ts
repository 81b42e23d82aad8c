// Where pods reach their node: the gateway of the runtime's default bridge network (Docker's docker0,
// Podman's podman network, both answer to "bridge" on the Engine API). The service proxy listens there,
// so pods reach it without it being exposed on the node's other interfaces.
import os from "node:os";
import type Docker from "dockerode";

/** The bridge network's IPv4 gateway, or undefined when the runtime has none (rootless, custom setups). */
export async function bridgeGateway(docker: Docker): Promise<string | undefined> {
  const info = (await docker
    .getNetwork("bridge")
    .inspect()
    .catch(() => undefined)) as { IPAM?: { Config?: { Gateway?: string }[] } } | undefined;
  return (info?.IPAM?.Config ?? []).map((c) => c.Gateway).find((g): g is string => Boolean(g) && !g?.includes(":"));
}

/**
 * The address to listen on: the gateway when it is one of this host's, else loopback — never every
 * address, which would publish pods' Services on the node's network without any authentication. Loopback
 * only holds the port until the gateway exists (Podman creates its bridge with the first container).
 */
export const HOLDING_ADDRESS = "127.0.0.1";

export function bindAddress(gateway: string | undefined, interfaces = os.networkInterfaces()): string {
  const local = Object.values(interfaces)
    .flat()
    .some((i) => i?.address === gateway);
  return gateway && local ? gateway : HOLDING_ADDRESS;
}

/** Anything that knows the node's own pod network's gateway (agent/runtime/docker/pod-network.ts). */
export interface PodNetworkGateway {
  gateway(): string | undefined;
}

/**
 * The node's pod-network gateway — the one place every node-local server (service proxy, DNS) asks
 * where pods reach their node: the gateway of the node's own pod network once it is ready (the first
 * address of its podCIDR), else the runtime's default bridge gateway found at start (`fallback`).
 */
export function podNetworkGateway(
  network: PodNetworkGateway | undefined,
  fallback: string | undefined,
): string | undefined {
  return network?.gateway() ?? fallback;
}
