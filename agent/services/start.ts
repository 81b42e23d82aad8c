// The node-local service proxy as the agent runs it: listening on the pod network's gateway (pods reach
// their node there), its state in the agent's state dir, restored before any pod starts. Where the host
// allows (root, iproute2, iptables) cluster IPs and node ports route to those listeners (host-services.ts)
// and pods are told cluster IPs; elsewhere one log line says why not and pods get the gateway listeners.
import type { Socket } from "node:net";
import { join } from "node:path";
import type Docker from "dockerode";
import type { NodeCIDR } from "../../kube/agent-protocol.ts";
import type { ConnectOpen, PodConnectOpen } from "../../kube/tunnel-protocol.ts";
import type { PolicyGate } from "../network-policy/enforcer.ts";
import type { AgentStream } from "../tunnel/stream.ts";
import { bindAddress, bridgeGateway, type PodNetworkGateway, podNetworkGateway } from "./gateway.ts";
import type { HostServices } from "./host-services.ts";
import { PodRelay } from "./pod-relay.ts";
import { ServiceProxy } from "./proxy.ts";
import { ProxyStateFile, SERVICE_STATE_FILE } from "./state.ts";

const GATEWAY_CHECK_MS = 500;

export interface StartProxyOptions {
  docker: Docker;
  nodeName: string;
  stateDir: string;
  /** Told to pods when the runtime has no bridge gateway (they reach the node at its own address). */
  hostIP: string;
  openStream: (open: ConnectOpen | PodConnectOpen) => AgentStream;
  log: (message: string) => void;
  /** The node's own pod network (its gateway and bridge), when the agent made one. */
  network?: PodNetworkGateway & { bridge: string; mode(): string | undefined };
  /** Cluster IPs and node ports on the host; absent where the host cannot (the reason was logged). */
  host?: HostServices;
  /** The in-cluster API endpoint connections to the `kubernetes` Service go to. */
  kubernetesApi?: (socket: Socket) => boolean;
  /** NetworkPolicies, asked by the proxy and the relay before they pass a connection on. */
  policy?: PolicyGate;
}

export interface RunningProxy {
  proxy: ServiceProxy;
  /** Where pods reach this node now (podNetworkGateway): other node-local servers (DNS) bind there too. */
  gateway(): string | undefined;
  /** Brings the host's rules to the proxy's listeners (after services or the network changed). */
  syncHost(nodeCIDRs?: NodeCIDR[]): Promise<void>;
  /** Stops watching the gateway; the host's rules stay for the next start to take over. */
  close(): Promise<void>;
  /** The node left: its rules and Service interface go too. */
  cleanup(): Promise<void>;
}

export async function startServiceProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const defaultGateway = await bridgeGateway(options.docker);
  const gateway = () => podNetworkGateway(options.network, defaultGateway);
  // The host refused our rules once: pods are told the gateway listeners from then on, as without root.
  let hostFailed = false;
  const routed = () => !hostFailed && options.host !== undefined && options.network?.gateway() !== undefined;
  const hostError = (error: Error) => {
    hostFailed = true;
    options.log(`cluster IPs and node ports: off (${error.message}); pods reach Services at the gateway listeners`);
  };
  const proxy = new ServiceProxy({
    nodeName: options.nodeName,
    bindHost: () => bindAddress(gateway()),
    advertiseHost: () => gateway() ?? options.hostIP,
    routesClusterIPs: routed,
    state: new ProxyStateFile(join(options.stateDir, SERVICE_STATE_FILE)),
    openStream: options.openStream,
    kubernetesApi: options.kubernetesApi,
    policy: options.policy,
    log: options.log,
  });
  await proxy.restore();
  // Other nodes' pod IPs: only where the host's nat table can send connections to the relay.
  const relay = options.host
    ? new PodRelay({
        nodeName: options.nodeName,
        openStream: options.openStream,
        policy: options.policy,
        log: options.log,
      })
    : undefined;
  await relay?.listen(bindAddress(gateway()));
  options.log(`service proxy: listening on ${bindAddress(gateway())}, pods told ${gateway() ?? options.hostIP}`);
  const syncHost = async (nodeCIDRs?: NodeCIDR[]) => {
    if (nodeCIDRs) relay?.setNodes(nodeCIDRs);
    const bridge = options.network?.bridge;
    if (!options.host || !bridge || !routed()) return;
    const at = relay?.address;
    await options.host.apply({
      id: options.host.id,
      bridge,
      services: proxy.targets(),
      ...(relay && at ? { relay: { cidrs: relay.remoteCIDRs(), host: at.address, port: at.port } } : {}),
    });
  };
  // Listeners follow the gateway (Podman brings a bridge up with its first container; the pod network
  // comes with the node's podCIDR), and the host's rules follow the listeners.
  let bound = bindAddress(gateway());
  const timer = setInterval(() => {
    const now = bindAddress(gateway());
    if (now === bound) return;
    bound = now;
    proxy
      .refresh()
      .then(() => relay?.listen(now))
      .then(() => syncHost())
      .then(
        () => options.log(`service proxy: listening on ${now}`),
        (error: Error) => options.log(`service proxy: ${error.message}`),
      );
  }, GATEWAY_CHECK_MS);
  timer.unref();
  await syncHost().catch(hostError);
  return {
    proxy,
    gateway,
    syncHost: (nodeCIDRs) => syncHost(nodeCIDRs).catch(hostError),
    close: async () => {
      clearInterval(timer);
      relay?.close();
      await proxy.close();
    },
    cleanup: async () => {
      clearInterval(timer);
      relay?.close();
      await proxy.close();
      if (options.host && options.network) await options.host.cleanup(options.network.bridge);
    },
  };
}
