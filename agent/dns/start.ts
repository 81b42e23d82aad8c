// Cluster DNS as the agent runs it: one server per node on the gateway of the node's pod network (where
// pods reach their node), port 53 UDP and TCP, answering from the cluster data sync brings and forwarding
// the rest to the host's resolvers. It is also what pods' resolv.conf names (PodNetworkConfig). Where it
// cannot bind (rootless: no port 53; the address taken by another server) it says so once and pods get
// the host's resolvers, as the kubelet does without a cluster DNS.
import type { ClusterDNSData } from "../../kube/agent-protocol.ts";
import { bindAddress } from "../services/gateway.ts";
import { AnswerCache } from "./cache.ts";
import { Forwarder } from "./forwarder.ts";
import { HOST_RESOLV_CONF, type ResolvConf, readHostResolvConf, upstreamsOf } from "./resolv-conf.ts";
import { DNSServer } from "./server.ts";
import { localSources } from "./sources.ts";
import { CLUSTER_DOMAIN, ClusterZone } from "./zone.ts";

export const DNS_PORT = 53;
const GATEWAY_CHECK_MS = 500;
const RESOLV_CONF_TTL_MS = 5_000;

export interface ClusterDNSOptions {
  log: (message: string) => void;
  /** The host resolver configuration (the kubelet's --resolv-conf). */
  resolvConf?: string;
  port?: number;
  /** Per-upstream attempt budget of the forwarder. */
  forwardTimeoutMs?: number;
}

type State = "idle" | "waiting" | "listening" | "failed";

export class ClusterDNS {
  readonly clusterDomain = CLUSTER_DOMAIN;
  #zone = new ClusterZone(undefined);
  #data?: ClusterDNSData;
  #server?: DNSServer;
  #state: State = "idle";
  #gateway?: string;
  #binding?: Promise<void>;
  #timer?: NodeJS.Timeout;
  #host?: { conf: ResolvConf; at: number };
  readonly #forwarder: Forwarder;
  readonly #cache = new AnswerCache();

  constructor(private readonly options: ClusterDNSOptions) {
    this.#forwarder = new Forwarder({
      upstreams: () => upstreamsOf(this.#host?.conf ?? { nameservers: [], searches: [], options: [] }, this.#self()),
      timeoutMs: options.forwardTimeoutMs,
    });
  }

  /** The version of the cluster data held, echoed to the object in sync. */
  get version(): string | undefined {
    return this.#data?.version;
  }

  get address(): string | undefined {
    return this.#state === "listening" ? this.#gateway : undefined;
  }

  update(data: ClusterDNSData): void {
    this.#data = data;
    this.#zone = new ClusterZone(data, { nameserverIP: this.#gateway });
  }

  /** Starts on the pod network's gateway, at once or as soon as it is an address of this host. */
  async start(gateway: string | undefined): Promise<void> {
    await this.hostResolvConf();
    if (!gateway) {
      this.#fail("the container runtime has no bridge gateway for pods to reach (rootless?)");
      return;
    }
    this.#gateway = gateway;
    this.#zone = new ClusterZone(this.#data, { nameserverIP: gateway });
    this.#state = "waiting";
    await this.#tryListen();
    if (this.#state !== "waiting") return;
    this.#timer = setInterval(() => void this.#tryListen(), GATEWAY_CHECK_MS);
    this.#timer.unref();
  }

  /** The address pods' resolv.conf names; tries to bind first when the gateway has just come up. */
  async clusterDNS(): Promise<string | undefined> {
    if (this.#state === "waiting") await this.#tryListen();
    return this.address;
  }

  async hostResolvConf(): Promise<ResolvConf> {
    if (!this.#host || Date.now() - this.#host.at > RESOLV_CONF_TTL_MS)
      this.#host = { conf: await readHostResolvConf(this.options.resolvConf ?? HOST_RESOLV_CONF), at: Date.now() };
    return this.#host.conf;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#binding;
    await this.#server?.close();
    this.#server = undefined;
    this.#state = "idle";
  }

  #tryListen(): Promise<void> {
    this.#binding ??= this.#listen().finally(() => {
      this.#binding = undefined;
    });
    return this.#binding;
  }

  async #listen(): Promise<void> {
    const gateway = this.#gateway;
    if (this.#state !== "waiting" || !gateway || bindAddress(gateway) !== gateway) return;
    const port = this.options.port ?? DNS_PORT;
    const server = new DNSServer({
      host: gateway,
      port,
      allow: localSources(gateway),
      context: {
        zone: () => this.#zone,
        forward: this.#cache.wrap(async (query, tcp) => {
          await this.hostResolvConf();
          return this.#forwarder.forward(query, tcp);
        }),
      },
    });
    try {
      await server.listen();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === "EACCES"
          ? "permission denied (rootless? port 53 needs root or CAP_NET_BIND_SERVICE)"
          : code === "EADDRINUSE"
            ? "the address is in use (another agent or DNS server on this host)"
            : (error as Error).message;
      this.#fail(`cannot listen on ${gateway}:${port}: ${why}`);
      return;
    }
    clearInterval(this.#timer);
    this.#server = server;
    this.#state = "listening";
    const upstreams = upstreamsOf(await this.hostResolvConf(), this.#self()).map((u) => u.host);
    this.options.log(
      `cluster DNS: serving ${this.clusterDomain} on ${gateway}:${server.address?.port} (UDP and TCP), ` +
        `forwarding other names to ${upstreams.join(", ") || "no resolver (they get SERVFAIL)"}`,
    );
  }

  #fail(why: string): void {
    clearInterval(this.#timer);
    this.#state = "failed";
    this.options.log(
      `cluster DNS: ${why}; pods on this node get the host's resolvers instead (the kubelet's fallback without a cluster DNS)`,
    );
  }

  /** This server's own addresses: never forwarded to (that would loop). */
  #self(): string[] {
    return this.#gateway ? [this.#gateway] : [];
  }
}
