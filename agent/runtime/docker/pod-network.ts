// The node's pod network: a bridge network of the agent's own on Docker or Podman, its subnet the node's
// spec.podCIDR (node IPAM) and its gateway the range's first address, so pod IPs are unique in the cluster
// and say which node a pod runs on. Named after the agent (server and node), so two agents on one machine
// never share one, and found again by that name when the agent restarts. Until the cluster has given the
// node a range, pods wait (upstream's kubelet: "network is not ready"); a runtime that cannot make networks
// (rootless) falls back to its default bridge, said once in the log.
import { ipString, parseCIDR } from "../../../kube/ipv4.ts";
import { createHash } from "node:crypto";
import type Docker from "dockerode";

export const POD_NETWORK_LABEL = "io.flotilla.pod-network";
/** The node the network is for (tests clean up after their nodes by it). */
export const POD_NETWORK_NODE_LABEL = "io.flotilla.node";
/** The runtime's default network: pods' network where the agent cannot make its own. */
export const DEFAULT_NETWORK = "bridge";

/** Names for one agent's host objects: network, its bridge, and the Service interface (IFNAMSIZ: ≤ 15). */
export function agentNetworkNames(server: string, nodeName: string) {
  const id = createHash("sha256").update(`${server}\n${nodeName}`).digest("hex").slice(0, 8);
  return { network: `flotilla-${id}`, bridge: `flt${id}`, services: `fls${id}`, id };
}

/** The first usable address of an IPv4 CIDR (10.244.3.0/24 → 10.244.3.1). */
export function gatewayOf(cidr: string): string {
  return ipString((parseCIDR(cidr)?.base ?? 0) + 1);
}

interface NetworkInfo {
  Name?: string;
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
  Containers?: Record<string, unknown>;
}

export type PodNetworkState =
  | { kind: "pending" }
  | { kind: "ready"; subnet: string; gateway: string }
  | { kind: "fallback"; reason: string };

export class PodNetwork {
  readonly name: string;
  readonly bridge: string;
  #state: PodNetworkState = { kind: "pending" };
  #changing: Promise<void> = Promise.resolve();

  constructor(
    private readonly docker: Docker,
    names: { network: string; bridge: string },
    private readonly nodeName = "",
    private readonly log: (message: string) => void = () => {},
  ) {
    this.name = names.network;
    this.bridge = names.bridge;
  }

  get state(): PodNetworkState {
    return this.#state;
  }

  /** The network mode pods' infra containers join, or undefined while the node has no range yet. */
  mode(): string | undefined {
    if (this.#state.kind === "ready") return this.name;
    if (this.#state.kind === "fallback") return DEFAULT_NETWORK;
    return undefined;
  }

  /** The gateway pods reach their node at, once the network is ready. */
  gateway(): string | undefined {
    return this.#state.kind === "ready" ? this.#state.gateway : undefined;
  }

  /** At start: a network this agent made before is used again as it is (its pods are still on it). */
  adopt(): Promise<void> {
    return this.#serial(async () => {
      const info = await this.#inspect();
      const config = info?.IPAM?.Config?.find((c) => c.Subnet && !c.Subnet.includes(":"));
      if (!config?.Subnet) return;
      this.#state = { kind: "ready", subnet: config.Subnet, gateway: config.Gateway ?? gatewayOf(config.Subnet) };
      this.log(`pod network ${this.name}: ${config.Subnet} (adopted)`);
    });
  }

  /** The node's podCIDR as the cluster says it: the network is made (or remade for another range). */
  ensure(podCIDR: string): Promise<void> {
    return this.#serial(async () => {
      if (this.#state.kind === "ready" && this.#state.subnet === podCIDR) return;
      if (this.#state.kind === "fallback") return;
      const info = await this.#inspect();
      const subnet = info?.IPAM?.Config?.find((c) => c.Subnet)?.Subnet;
      if (info && subnet !== podCIDR) {
        if (Object.keys(info.Containers ?? {}).length > 0) {
          // Pods still on the old range; they go as the cluster stops them, and the next sync tries again.
          this.log(`pod network ${this.name}: range ${subnet} → ${podCIDR} waits for its pods to go`);
          return;
        }
        await this.docker.getNetwork(this.name).remove();
      }
      if (!info || subnet !== podCIDR) {
        const gateway = gatewayOf(podCIDR);
        try {
          await this.docker.createNetwork({
            Name: this.name,
            Driver: "bridge",
            CheckDuplicate: true,
            Labels: { [POD_NETWORK_LABEL]: this.name, [POD_NETWORK_NODE_LABEL]: this.nodeName },
            Options: { "com.docker.network.bridge.name": this.bridge },
            IPAM: { Driver: "default", Config: [{ Subnet: podCIDR, Gateway: gateway }] },
          });
        } catch (error) {
          const reason = (error as Error).message;
          this.#state = { kind: "fallback", reason };
          this.log(`pod network: cannot create ${this.name} (${reason}); pods use the runtime's default network`);
          return;
        }
      }
      this.#state = { kind: "ready", subnet: podCIDR, gateway: gatewayOf(podCIDR) };
      this.log(`pod network ${this.name}: ${podCIDR}, gateway ${gatewayOf(podCIDR)}, bridge ${this.bridge}`);
    });
  }

  /** The node left the cluster: the network goes (its pods were removed before). */
  remove(): Promise<void> {
    return this.#serial(async () => {
      await this.docker
        .getNetwork(this.name)
        .remove()
        .catch(() => {});
      this.#state = { kind: "pending" };
    });
  }

  async #inspect(): Promise<NetworkInfo | undefined> {
    return (await this.docker
      .getNetwork(this.name)
      .inspect()
      .catch(() => undefined)) as NetworkInfo | undefined;
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    this.#changing = this.#changing.then(fn, fn);
    return this.#changing;
  }
}
