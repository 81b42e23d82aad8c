// The node-local service proxy (what kube-proxy is to a kubelet, without cluster IPs): one TCP listener per
// Service port of the namespaces this node runs pods in, on the bridge gateway, at a port kept across
// restarts. A connection goes round robin to a ready endpoint: one on this node is dialled directly (its
// pod IP is on the bridge), one on another node through the tunnel (the object relays to that node's
// agent). An endpoint that cannot be reached is skipped for the next; none left resets the connection.
import net from "node:net";
import type { SyncEndpoint, SyncService } from "../../kube/agent-protocol.ts";
import type { Pod } from "../../kube/pod-types.ts";
import { type ServiceEnvEntry, serviceEnvVars, servicesForPod } from "../../kube/service-env.ts";
import { type ConnectOpen, POLICY_DENIED } from "../../kube/tunnel-protocol.ts";
import { holdDenied, plainAddress, type PolicyGate } from "../network-policy/enforcer.ts";
import type { AgentStream } from "../tunnel/stream.ts";
import { dial } from "../tunnel/tcp.ts";
import { relaySocket } from "./relay.ts";
import type { ServiceTarget } from "./host-rules.ts";
import { listenerKey, type ProxyState, type ProxyStateFile } from "./state.ts";

export interface ServiceProxyOptions {
  nodeName: string;
  /**
   * Where listeners bind, asked at each update: the bridge gateway, or loopback while it is not a host
   * address (Podman creates its bridge with the first container); listeners move there once it is.
   */
  bindHost: () => string;
  /** What pods are told in <NAME>_SERVICE_HOST where cluster IPs are not routed (asked at each pod start). */
  advertiseHost: string | (() => string);
  /**
   * Whether this node routes cluster IPs to the listeners (host-services.ts): pods are then told the cluster
   * IP and the Service port, exactly as upstream.
   */
  routesClusterIPs?: () => boolean;
  state: ProxyStateFile;
  /** Opens a tunnel stream to the object; absent or throwing: endpoints on other nodes are skipped. */
  openStream?: (open: ConnectOpen) => AgentStream;
  /**
   * Serves connections to the `kubernetes` Service (default/kubernetes, which has no pod endpoints): the
   * in-cluster API endpoint (kubernetes-endpoint.ts). False while it is not ready: the connection is reset.
   */
  kubernetesApi?: (socket: net.Socket) => boolean;
  /** NetworkPolicies: a connection to an endpoint they refuse is held unanswered (a drop), as upstream. */
  policy?: PolicyGate;
  log?: (message: string) => void;
}

const KUBERNETES_SERVICE = "default/kubernetes";

interface Listener {
  server: net.Server;
  port: number;
  host: string;
}

const serviceKey = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;
const isTcp = (protocol: string) => (protocol || "TCP") === "TCP";

export class ServiceProxy {
  #services = new Map<string, SyncService>();
  #listeners = new Map<string, Listener>();
  #ports: Record<string, number> = {};
  #turn = new Map<string, number>();
  /** sessionAffinity ClientIP: service port + client address → the endpoint it had and until when. */
  #affinity = new Map<string, { ip: string; until: number }>();
  #updating: Promise<void> = Promise.resolve();
  /** Connections relayed, by where they went (tests and diagnostics). */
  readonly counts = { local: 0, remote: 0, failed: 0 };

  constructor(private readonly options: ServiceProxyOptions) {}

  /** Listens again on the ports of the services last heard of (before the cluster answers). */
  async restore(): Promise<void> {
    const saved: ProxyState = await this.options.state.load();
    this.#ports = saved.ports;
    await this.update(saved.services);
  }

  /** The services sync brought: listeners for new Service ports, gone ones closed. Updates never overlap. */
  update(services: SyncService[]): Promise<void> {
    this.#updating = this.#updating.then(() => this.#apply(services));
    return this.#updating;
  }

  /** Applies the services last heard of again: listeners move if bindHost() answers another address now. */
  refresh(): Promise<void> {
    return this.update([...this.#services.values()]);
  }

  /** The port a Service port is served at on this node, if it is. */
  portOf(namespace: string, name: string, port: number): number | undefined {
    return this.#listeners.get(listenerKey(namespace, name, port))?.port;
  }

  /** The pod's Service variables (kubelet's set) pointing at this node's listeners. */
  envFor(pod: Pod): [string, string][] {
    const namespace = pod.metadata.namespace ?? "default";
    const chosen = servicesForPod([...this.#services.values()], namespace, pod.spec.enableServiceLinks !== false);
    const routed = this.options.routesClusterIPs?.() === true;
    const advertise = this.options.advertiseHost;
    const gateway = typeof advertise === "string" ? advertise : advertise();
    const entries: ServiceEnvEntry[] = chosen.map((s) => {
      // Upstream: the cluster IP and the Service port, every port of every protocol.
      if (routed && s.clusterIP) return { name: s.name, host: s.clusterIP, ports: s.ports };
      return {
        name: s.name,
        host: gateway,
        ports: s.ports.flatMap((p) => {
          const reachAt = isTcp(p.protocol) ? this.portOf(s.namespace, s.name, p.port) : undefined;
          return reachAt === undefined ? [] : [{ name: p.name, protocol: p.protocol, port: p.port, reachAt }];
        }),
      };
    });
    return serviceEnvVars(entries);
  }

  /** Each TCP Service port this node serves: its cluster IP, node port and listener (for the host's rules). */
  targets(): ServiceTarget[] {
    const out: ServiceTarget[] = [];
    for (const s of this.#services.values())
      for (const p of s.ports) {
        const listener = isTcp(p.protocol) ? this.#listeners.get(listenerKey(s.namespace, s.name, p.port)) : undefined;
        if (!listener) continue;
        out.push({
          clusterIP: s.clusterIP && s.clusterIP !== "None" ? s.clusterIP : undefined,
          port: p.port,
          nodePort: p.nodePort,
          host: listener.host,
          listenerPort: listener.port,
        });
      }
    return out;
  }

  async close(): Promise<void> {
    await this.#updating;
    await Promise.all([...this.#listeners.values()].map((l) => closeServer(l.server)));
    this.#listeners.clear();
  }

  async #apply(services: SyncService[]): Promise<void> {
    this.#services = new Map(services.map((s) => [serviceKey(s), s]));
    const wanted = new Set<string>();
    const host = this.options.bindHost();
    for (const s of services)
      for (const p of s.ports) {
        if (!isTcp(p.protocol)) continue;
        const key = listenerKey(s.namespace, s.name, p.port);
        wanted.add(key);
        const current = this.#listeners.get(key);
        if (current && current.host !== host) {
          // Same port on the better address: pods' variables stay right.
          this.#listeners.delete(key);
          await closeServer(current.server);
        }
        if (!this.#listeners.has(key)) await this.#listen(key, s, p.port, host);
      }
    for (const [key, listener] of this.#listeners)
      if (!wanted.has(key)) {
        this.#listeners.delete(key);
        delete this.#ports[key];
        await closeServer(listener.server);
      }
    for (const key of Object.keys(this.#ports)) if (!wanted.has(key)) delete this.#ports[key];
    await this.options.state.save({ ports: this.#ports, services });
  }

  async #listen(key: string, service: SyncService, servicePort: number, host: string): Promise<void> {
    const id = serviceKey(service);
    // Half-open allowed: a client may shut down its sending side and still read the answer (local endpoints).
    const server = net.createServer({ allowHalfOpen: true }, (socket) => void this.#route(id, servicePort, socket));
    server.on("error", (error) => this.options.log?.(`service proxy ${key}: ${error.message}`));
    const preferred = this.#ports[key] ?? 0;
    let port: number;
    try {
      port = await listenOn(server, host, preferred);
    } catch (error) {
      // The port kept from before is taken now: pods started earlier lose this service, new ones get the new port.
      if (preferred === 0) throw error;
      this.options.log?.(`service proxy ${key}: port ${preferred} is taken (${(error as Error).message})`);
      port = await listenOn(server, host, 0);
    }
    this.#ports[key] = port;
    this.#listeners.set(key, { server, port, host });
  }

  async #route(id: string, servicePort: number, client: net.Socket): Promise<void> {
    client.pause();
    client.on("error", () => {}); // a reset by the pod is its business
    if (id === KUBERNETES_SERVICE && this.options.kubernetesApi?.(client)) return;
    const service = this.#services.get(id);
    const sp = service?.ports.find((p) => p.port === servicePort);
    const candidates = sp ? (service?.endpoints ?? []).filter((e) => e.ports[sp.name] !== undefined) : [];
    const sticky = service?.sessionAffinity === "ClientIP" ? `${id}:${servicePort}:${client.remoteAddress}` : undefined;
    const kept = sticky ? this.#affinity.get(sticky) : undefined;
    const keptAt = kept && kept.until > Date.now() ? candidates.findIndex((e) => e.ip === kept.ip) : -1;
    const start = keptAt >= 0 ? keptAt : this.#next(`${id}:${servicePort}`, candidates.length);
    for (let i = 0; i < candidates.length && service && sp && !client.destroyed; i++) {
      const endpoint = candidates[(start + i) % candidates.length];
      // Upstream filters after the Service's DNAT: the endpoint chosen, then the policy between the two pods.
      const port = endpoint.ports[sp.name];
      if (this.options.policy && !this.options.policy.allows(client.remoteAddress ?? "", endpoint.ip, port)) {
        holdDenied(client);
        return;
      }
      if (await this.#relay(service, endpoint, endpoint.ports[sp.name], client)) {
        if (sticky) this.#stick(sticky, endpoint.ip, service.affinitySeconds ?? 10800);
        return;
      }
    }
    this.counts.failed++;
    client.resetAndDestroy();
  }

  /** True once the endpoint took the connection (then it relays until either side ends). */
  async #relay(service: SyncService, endpoint: SyncEndpoint, port: number, client: net.Socket): Promise<boolean> {
    if (endpoint.nodeName === this.options.nodeName) {
      const upstream = await dial(endpoint.ip, port).catch(() => undefined);
      if (!upstream) return false;
      this.counts.local++;
      pipeBoth(client, upstream);
      return true;
    }
    if (!endpoint.nodeName || !this.options.openStream) return false;
    let stream: AgentStream;
    try {
      stream = this.options.openStream({
        kind: "connect",
        namespace: service.namespace,
        service: service.name,
        node: endpoint.nodeName,
        podIP: endpoint.ip,
        port,
        sourceIP: plainAddress(client.remoteAddress),
      });
    } catch {
      return false; // no tunnel right now
    }
    const refused = await stream.accepted;
    if (refused?.message.includes(POLICY_DENIED)) {
      holdDenied(client);
      return true;
    }
    if (refused) {
      this.options.log?.(`service proxy ${serviceKey(service)}: ${endpoint.ip}:${port} refused: ${refused.message}`);
      return false;
    }
    this.counts.remote++;
    void relaySocket(client, stream);
    client.resume();
    return true;
  }

  /** The client keeps this endpoint until `seconds` after its latest connection (IPVS persistence). */
  #stick(key: string, ip: string, seconds: number): void {
    const now = Date.now();
    if (this.#affinity.size > 10_000) for (const [k, v] of this.#affinity) if (v.until <= now) this.#affinity.delete(k);
    this.#affinity.set(key, { ip, until: now + seconds * 1000 });
  }

  #next(key: string, count: number): number {
    if (count === 0) return 0;
    const at = this.#turn.get(key) ?? 0;
    this.#turn.set(key, (at + 1) % count);
    return at % count;
  }
}

function listenOn(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen({ host, port }, () => {
      server.off("error", onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/**
 * Stops listening at once. Not awaiting close's callback on purpose: it waits for every relayed connection to
 * end, and a pod's long-lived connection (a database client) would hold the sync loop, which applies updates.
 */
function closeServer(server: net.Server): Promise<void> {
  server.close();
  return Promise.resolve();
}

/** Two sockets joined: each end passes on to the other, and a reset or close of one ends the other. */
function pipeBoth(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  b.on("error", () => a.destroy());
  a.on("close", () => b.destroy());
  b.on("close", () => a.end());
}
