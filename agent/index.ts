// runAgent: the node agent as a library call (the `flotilla agent` command and tests use it).
import { readFile, statfs } from "node:fs/promises";
import os from "node:os";
import {
  AGENT_POD_TOKEN_PATH,
  AGENT_SERVING_CERT_PATH,
  type AgentNodeStatus,
  type PodAssignment,
  type PodTokenResponse,
} from "../kube/agent-protocol.ts";
import type { NodeCondition } from "../kube/pod-types.ts";
import type { AgentOptions } from "./args.ts";
import { ClusterClient } from "./client.ts";
import { join } from "./join.ts";
import { collectNodeFacts, defaultNodeName, type NodeFacts } from "./node-info.ts";
import { nodeConditions } from "./node-status.ts";
import { findDockerHost } from "./runtime/docker/connect.ts";
import { hostSubnets } from "./runtime/docker/host-subnets.ts";
import { DockerRuntime } from "./runtime/docker/runtime.ts";
import type { PodNetworkConfig } from "./runtime/docker/pod-files.ts";
import { PodTokenManager } from "./pod/tokens.ts";
import { SimulatedRuntime } from "./runtime/simulated.ts";
import type { PodRuntime } from "./runtime/types.ts";
import { agentNetworkNames, PodNetwork } from "./runtime/docker/pod-network.ts";
import { checkHostNetworking, HostServices, run as runCommand } from "./services/host-services.ts";
import { KubernetesEndpoint } from "./services/kubernetes-endpoint.ts";
import { type RunningProxy, startServiceProxy } from "./services/start.ts";
import { collectVolumes } from "./runtime/docker/volumes-fs.ts";
import {
  AssignmentStore,
  defaultStateDir,
  ensureStateDir,
  loadState,
  podsDir,
  saveState,
  volumesDir,
} from "./state.ts";
import { SyncLoop } from "./sync-loop.ts";
import { NetworkPolicyEnforcer } from "./network-policy/enforcer.ts";
import { checkPolicyFirewall, PolicyFirewall } from "./network-policy/firewall.ts";
import { ClusterDNS } from "./dns/start.ts";
import { TunnelClient } from "./tunnel/client.ts";
import { TunnelFirstTransport } from "./tunnel/sync-transport.ts";
import { streamHandlers } from "./tunnel/handlers.ts";

export type { AgentOptions } from "./args.ts";
export { AGENT_USAGE, parseAgentArgs, UsageError } from "./args.ts";

export interface AgentHandle {
  nodeNames: string[];
  /** Resolves when every sync loop has ended (after stop()). */
  done: Promise<void>;
  /** Stops syncing; pods keep running (a restarted agent adopts them). */
  stop(): Promise<void>;
  /** Syncs answered so far, over all of its nodes (benchmarks count them per phase). */
  syncs(): number;
}

export interface RunOptions {
  log?: (message: string) => void;
  /** Tests: a shorter reconcile period for the docker runtime. */
  runtimePeriodMs?: number;
}

async function makeRuntime(
  options: AgentOptions,
  nodeName: string,
  stateDir: string,
  facts: NodeFacts,
  run: RunOptions,
  serviceEnv?: DockerRuntime["options"]["serviceEnv"],
  podNetwork?: DockerRuntime["options"]["podNetwork"],
  network?: PodNetworkConfig,
  podTokens?: PodTokenManager,
): Promise<PodRuntime> {
  if (options.runtime === "simulated") return new SimulatedRuntime(facts.hostIP);
  const host = findDockerHost();
  if (!host)
    throw new Error(
      "no Docker or Podman API found: set DOCKER_HOST or start the Podman service (or use --runtime simulated)",
    );
  return new DockerRuntime({
    dockerHost: host,
    nodeName,
    hostIP: facts.hostIP,
    podsDir: podsDir(stateDir),
    nodeAllocatable: facts.allocatable,
    periodMs: run.runtimePeriodMs,
    serviceEnv,
    podNetwork,
    network,
    podTokens,
  });
}

async function health(stateDir: string, runtime: PodRuntime) {
  const disk = await statfs(stateDir).catch(() => undefined);
  let runtimeError: string | undefined;
  await runtime.version().catch((e: Error) => (runtimeError = e.message));
  const meminfo = await readFile("/proc/meminfo", "utf8").catch(() => "");
  const available = /MemAvailable:\s+(\d+) kB/.exec(meminfo);
  return {
    runtimeUp: runtimeError === undefined,
    runtimeError,
    memoryAvailableBytes: available ? Number(available[1]) * 1024 : os.freemem(),
    diskAvailableFraction: disk ? disk.bavail / disk.blocks : 1,
  };
}

/** Joins (when not joined yet) and runs one node until stopped. */
async function runNode(
  options: AgentOptions,
  nodeName: string,
  stateDir: string,
  client: ClusterClient,
  run: RunOptions,
) {
  const log = (m: string) => (run.log ?? console.log)(`[${nodeName}] ${m}`);
  await ensureStateDir(stateDir);
  // Facts first (the runtime needs the host IP and allocatable), then the runtime's version into nodeInfo.
  const facts = await collectNodeFacts(nodeName, "", stateDir, options.labels);
  let services: RunningProxy | undefined;
  let network: PodNetwork | undefined;
  // Cluster DNS runs beside a runtime with containers; pods' resolv.conf, hosts and hostname come from it.
  const dns = options.runtime === "simulated" ? undefined : new ClusterDNS({ log, resolvConf: options.resolvConf });
  /** Cluster DNS at the node's pod-network gateway (the service proxy's), once the pod network is decided. */
  let dnsAt: string | undefined;
  const placeDNS = async () => {
    const at = network?.mode() ? services?.gateway() : undefined;
    if (!dns || !at || at === dnsAt) return;
    if (dnsAt !== undefined) await dns.close();
    dnsAt = at;
    await dns.start(at);
  };
  // Pods' ServiceAccount tokens, asked for with the node's credential once it has joined (below): no pod
  // starts before that.
  let nodeCredential = "";
  const podTokens = new PodTokenManager((req) =>
    client.post<PodTokenResponse>(AGENT_POD_TOKEN_PATH, nodeCredential, req),
  );
  const runtime = await makeRuntime(
    options,
    nodeName,
    stateDir,
    facts,
    run,
    (pod) => services?.proxy.envFor(pod) ?? [],
    () => network?.mode(),
    dns && {
      clusterDomain: dns.clusterDomain,
      clusterDNS: () => dns.clusterDNS(),
      hostResolvConf: () => dns.hostResolvConf(),
    },
    podTokens,
  );
  const version = await runtime.version();
  facts.nodeInfo.containerRuntimeVersion = version;

  let state = await loadState(stateDir);
  if (state && state.server !== options.server) {
    log(`state dir ${stateDir} belongs to ${state.server}; joining ${options.server} afresh`);
    state = undefined;
  }
  if (!state) {
    if (!options.joinToken)
      throw new Error(`node "${nodeName}" has not joined ${options.server} yet: --join-token is required`);
    const subnets = runtime instanceof DockerRuntime ? await hostSubnets(runtime.docker) : [];
    const volumeDir = runtime instanceof DockerRuntime ? volumesDir(stateDir) : undefined;
    const joined = await join(client, options.joinToken, nodeName, facts, log, subnets, volumeDir);
    state = {
      server: options.server,
      nodeName: joined.nodeName,
      nodeCredential: joined.nodeCredential,
      heartbeatSeconds: joined.heartbeatSeconds,
      joinedAt: new Date().toISOString(),
    };
    await saveState(stateDir, state);
    log(`joined ${options.server} as node "${joined.nodeName}" (runtime ${version})`);
  } else log(`resuming as node "${state.nodeName}" (runtime ${version})`);
  nodeCredential = state.nodeCredential;

  const store = new AssignmentStore(stateDir);
  const restored: PodAssignment[] = await store.loadAll();
  let conditions: NodeCondition[] = [];
  const nodeStatus = async (): Promise<AgentNodeStatus> => {
    conditions = nodeConditions(
      await health(stateDir, runtime),
      conditions,
      new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    );
    const { capacity, allocatable, addresses, nodeInfo } = facts;
    return { capacity, allocatable, addresses, nodeInfo, conditions };
  };
  // NetworkPolicies: only a runtime with containers has traffic to filter (simulated nodes are not sent them).
  let policies: NetworkPolicyEnforcer | undefined;
  if (runtime instanceof DockerRuntime) {
    const names = agentNetworkNames(state.server, state.nodeName);
    const unfiltered = await checkPolicyFirewall();
    policies = new NetworkPolicyEnforcer({
      nodeName: state.nodeName,
      firewall: unfiltered ? undefined : new PolicyFirewall(names.id, runCommand),
      bridge: () => (network?.gateway() ? names.bridge : undefined),
      unenforced: unfiltered,
      log,
    });
  }
  const loop = new SyncLoop({
    // Syncs ride the tunnel once it is up (HTTP before that, and whenever it is down).
    client: new TunnelFirstTransport(client, () => tunnel),
    credential: state.nodeCredential,
    nodeName: state.nodeName,
    runtime,
    store,
    nodeStatus,
    heartbeatSeconds: state.heartbeatSeconds,
    log,
    // Only a runtime with containers runs the service proxy (simulated nodes are not sent services).
    services:
      options.runtime === "simulated"
        ? undefined
        : {
            update: async (list) => {
              await services?.proxy.update(list);
              await services?.syncHost();
            },
          },
    network:
      options.runtime === "simulated"
        ? undefined
        : {
            update: async (podCIDR, nodeCIDRs) => {
              if (podCIDR) await network?.ensure(podCIDR);
              await services?.syncHost(nodeCIDRs);
              await policies?.sync().catch((e: Error) => log(`network policies: ${e.message}`));
              await placeDNS();
            },
          },
    // Simulated nodes keep their volumes nowhere: only a runtime with containers has directories to remove.
    volumes:
      runtime instanceof DockerRuntime
        ? {
            dir: volumesDir(stateDir),
            keep: async (dirs, retained) => {
              for (const gone of await collectVolumes(volumesDir(stateDir), dirs, retained))
                log(`removed the directory of deleted volume ${gone}`);
            },
          }
        : undefined,
    onNodeGone: async () => {
      await tunnel?.stop();
      await dns?.close();
      await services?.cleanup();
      await policies?.cleanup();
      if (runtime instanceof DockerRuntime) await runtime.removeAll();
      await network?.remove();
      log("removed this node's pods, pod network, cluster IP rules and Service interface");
    },
    dns,
    networkPolicies: policies,
  });
  loop.seed(restored);
  // Pods reach Services through this node's proxy; it listens before any pod starts (their env names its ports).
  let tunnel: TunnelClient | undefined;
  let endpoint: KubernetesEndpoint | undefined;
  if (runtime instanceof DockerRuntime) {
    const names = agentNetworkNames(state.server, state.nodeName);
    network = new PodNetwork(runtime.docker, names, state.nodeName, log);
    await network.adopt();
    const unroutable = await checkHostNetworking();
    if (unroutable)
      log(`cluster IPs and node ports: off (${unroutable}); pods reach Services at the node's gateway listeners`);
    const kubernetesApi = new KubernetesEndpoint({
      server: options.server,
      nodeName: state.nodeName,
      requestCertificate: (req) => client.post(AGENT_SERVING_CERT_PATH, state.nodeCredential, req),
      ca: options.caFile ? await readFile(options.caFile, "utf8") : undefined,
      insecureSkipTlsVerify: options.insecureSkipTlsVerify,
      log,
    });
    // Without a certificate pods cannot reach the API in-cluster, but everything else works: logged, not fatal.
    await kubernetesApi.start().catch((error: Error) => log(`in-cluster API endpoint: off (${error.message})`));
    endpoint = kubernetesApi;
    services = await startServiceProxy({
      kubernetesApi: (socket) => kubernetesApi.accept(socket),
      docker: runtime.docker,
      nodeName: state.nodeName,
      stateDir,
      hostIP: facts.hostIP,
      openStream: (open) => {
        if (!tunnel) throw new Error("no tunnel yet");
        return tunnel.open(open);
      },
      log,
      network,
      host: unroutable ? undefined : new HostServices(names.id, names.services, runCommand, log),
      policy: policies,
    });
  }
  // Cluster DNS listens where pods reach their node: the pod network's gateway once the network is there
  // (the runtime's default bridge's where the agent could not make one); pods wait for the network anyway.
  await placeDNS();
  await runtime.start(restored);
  if (restored.length > 0) log(`adopting ${restored.length} pod(s) from ${stateDir}`);
  // Logs, exec and later proxying reach the node through its tunnel, and so do its syncs once it is up.
  tunnel = new TunnelClient({
    server: options.server,
    credential: state.nodeCredential,
    handlers: streamHandlers(runtime, state.nodeName, policies),
    ca: options.caFile ? await readFile(options.caFile, "utf8") : undefined,
    insecureSkipTlsVerify: options.insecureSkipTlsVerify,
    log,
  });
  tunnel.start();
  const done = loop.run();
  return {
    nodeName: state.nodeName,
    done,
    syncs: () => loop.syncs,
    stop: async () => {
      loop.stop();
      await tunnel.stop();
      await done;
      await services?.close();
      endpoint?.close();
      await dns?.close();
      await runtime.close();
    },
  };
}

/** Runs the agent: one node, or with --runtime simulated --nodes N, N nodes in this process. */
export async function runAgent(options: AgentOptions, run: RunOptions = {}): Promise<AgentHandle> {
  const ca = options.caFile ? await readFile(options.caFile, "utf8") : undefined;
  const client = new ClusterClient(options.server, { ca, insecureSkipTlsVerify: options.insecureSkipTlsVerify });
  const base = options.name ?? defaultNodeName();
  const names = options.nodes > 1 ? Array.from({ length: options.nodes }, (_, i) => `${base}-${i}`) : [base];
  const stateFor = (name: string) =>
    options.stateDir ? (options.nodes > 1 ? `${options.stateDir}/${name}` : options.stateDir) : defaultStateDir(name);
  const nodes = await Promise.all(names.map((name) => runNode(options, name, stateFor(name), client, run)));
  return {
    nodeNames: nodes.map((n) => n.nodeName),
    done: Promise.all(nodes.map((n) => n.done)).then(() => {}),
    syncs: () => nodes.reduce((sum, n) => sum + n.syncs(), 0),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      client.close();
    },
  };
}
