// Pod IPs across nodes, in userspace: the host's nat table sends a pod's TCP connection to another node's pod
// CIDR to this one listener (host-rules.ts' POD chain). Node cannot ask a socket for its original
// destination (no SO_ORIGINAL_DST, no IP_TRANSPARENT for TPROXY), so the relay reads it from the kernel's
// conntrack table: the entry whose reply tuple runs from this listener to the client holds the address the
// pod dialled. The connection then rides the tunnel to the node whose range holds that address (the object
// checks it is a running pod there), whatever network lies between the nodes.
import { cidrContains, parseCIDR, parseIP } from "../../kube/ipv4.ts";
import { readFile } from "node:fs/promises";
import net from "node:net";
import type { NodeCIDR } from "../../kube/agent-protocol.ts";
import { POLICY_DENIED, type PodConnectOpen } from "../../kube/tunnel-protocol.ts";
import { holdDenied, type PolicyGate } from "../network-policy/enforcer.ts";
import type { AgentStream } from "../tunnel/stream.ts";
import { relaySocket } from "./relay.ts";

export const CONNTRACK_TABLE = "/proc/net/nf_conntrack";

interface Endpoint {
  address: string;
  port: number;
}

/**
 * The original destination of a NATed connection: in /proc/net/nf_conntrack each line holds the original
 * tuple then the reply tuple (src= dst= sport= dport= each); after DNAT the reply comes from `local` (the
 * listener) to `remote` (the client).
 */
export function originalDestination(table: string, local: Endpoint, remote: Endpoint): Endpoint | undefined {
  for (const line of table.split("\n")) {
    if (!line.includes(" tcp ")) continue;
    const src = [...line.matchAll(/src=(\S+)/g)].map((m) => m[1]);
    const dst = [...line.matchAll(/dst=(\S+)/g)].map((m) => m[1]);
    const sport = [...line.matchAll(/sport=(\d+)/g)].map((m) => Number(m[1]));
    const dport = [...line.matchAll(/dport=(\d+)/g)].map((m) => Number(m[1]));
    if (src.length < 2 || dport.length < 2) continue;
    if (src[1] === local.address && sport[1] === local.port && dst[1] === remote.address && dport[1] === remote.port)
      return { address: dst[0] ?? "", port: dport[0] ?? 0 };
  }
  return undefined;
}

/** The node whose pod CIDR holds the address. */
export function nodeFor(cidrs: readonly NodeCIDR[], ip: string): string | undefined {
  const n = parseIP(ip);
  if (n === undefined) return undefined;
  for (const { nodeName, podCIDR } of cidrs) {
    const range = parseCIDR(podCIDR);
    if (range && cidrContains(range, n)) return nodeName;
  }
  return undefined;
}

export interface PodRelayOptions {
  nodeName: string;
  openStream?: (open: PodConnectOpen) => AgentStream;
  readConntrack?: () => Promise<string>;
  /** NetworkPolicies: a connection they refuse is held unanswered (a drop), as upstream. */
  policy?: PolicyGate;
  log?: (message: string) => void;
}

export class PodRelay {
  #server?: net.Server;
  #host = "";
  #port = 0;
  #cidrs: NodeCIDR[] = [];
  /** The table read under way: connections accepted meanwhile share it (a read costs ~10 µs per entry). */
  #reading?: Promise<string>;
  /** Connections relayed and refused (tests and diagnostics). */
  readonly counts = { relayed: 0, failed: 0 };

  constructor(private readonly options: PodRelayOptions) {}

  get address(): Endpoint | undefined {
    return this.#server ? { address: this.#host, port: this.#port } : undefined;
  }

  /** Every node's pod CIDR as sync brought it. */
  setNodes(cidrs: readonly NodeCIDR[]): void {
    this.#cidrs = [...cidrs];
  }

  /** Other nodes' ranges: what the host sends here. */
  remoteCIDRs(): string[] {
    return this.#cidrs.filter((c) => c.nodeName !== this.options.nodeName).map((c) => c.podCIDR);
  }

  /** Listens on `host` (the pod network's gateway), moving there if it listened elsewhere. */
  async listen(host: string): Promise<void> {
    if (this.#server && this.#host === host) return;
    this.#server?.close();
    const server = net.createServer({ allowHalfOpen: true }, (socket) => void this.#accept(socket));
    server.on("error", (error) => this.options.log?.(`pod relay: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port: 0 }, () => resolve());
    });
    this.#server = server;
    this.#host = host;
    this.#port = (server.address() as net.AddressInfo).port;
  }

  #table(fresh = false): Promise<string> {
    if (fresh || !this.#reading) {
      const read = this.options.readConntrack ?? (() => readFile(CONNTRACK_TABLE, "utf8"));
      const reading = read().catch(() => "");
      this.#reading = reading;
      void reading.finally(() => {
        if (this.#reading === reading) this.#reading = undefined;
      });
    }
    return this.#reading;
  }

  close(): void {
    this.#server?.close();
    this.#server = undefined;
  }

  async #accept(client: net.Socket): Promise<void> {
    client.pause();
    client.on("error", () => {});
    const fail = (why: string) => {
      this.counts.failed++;
      this.options.log?.(`pod relay: ${why}`);
      client.resetAndDestroy();
    };
    const local = { address: client.localAddress ?? "", port: client.localPort ?? 0 };
    const remote = { address: client.remoteAddress ?? "", port: client.remotePort ?? 0 };
    // A read that began before this connection's entry existed misses it: then one read of its own.
    const target =
      originalDestination(await this.#table(), local, remote) ??
      originalDestination(await this.#table(true), local, remote);
    if (!target) return fail(`no conntrack entry for ${remote.address}:${remote.port}`);
    const node = nodeFor(this.#cidrs, target.address);
    if (!node || node === this.options.nodeName || !this.options.openStream)
      return fail(`${target.address} is in no other node's pod range`);
    if (this.options.policy && !this.options.policy.allows(remote.address, target.address, target.port))
      return holdDenied(client);
    let stream: AgentStream;
    try {
      stream = this.options.openStream({
        kind: "pod-connect",
        node,
        podIP: target.address,
        port: target.port,
        sourceIP: remote.address.replace(/^::ffff:/, ""),
      });
    } catch (error) {
      return fail((error as Error).message);
    }
    const refused = await stream.accepted;
    if (refused?.message.includes(POLICY_DENIED)) return holdDenied(client);
    if (refused) return fail(`${target.address}:${target.port} refused: ${refused.message}`);
    this.counts.relayed++;
    void relaySocket(client, stream);
    client.resume();
  }
}
