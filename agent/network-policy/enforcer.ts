// NetworkPolicy enforcement on this node: the data sync brings (policies, namespaces, pods), evaluated
// once per version (kube/network-policy-plan.ts). Two enforcement points share that one evaluation: the
// host's filter chains for traffic the host forwards (pod to pod on this node, pod to the world), and the
// userspace paths where traffic passes through agent code (service proxy, pod relay, tunnel dials), which
// ask allows(). Where the host cannot filter, the agent says so once (log and node condition) rather than
// look like it enforces what it does not.
import type { NetworkPolicyData } from "../../kube/agent-protocol.ts";
import { PolicyEvaluator } from "../../kube/network-policy-plan.ts";
import type { PolicyFirewall } from "./firewall.ts";

/** What the userspace paths ask before passing a connection on. */
export interface PolicyGate {
  allows(source: string, destination: string, port: number, protocol?: string): boolean;
}

export interface EnforcerOptions {
  nodeName: string;
  /** The host's filter chains; absent where the host cannot (then `unenforced` says why). */
  firewall?: PolicyFirewall;
  /** The node's pod bridge, once its pod network exists. */
  bridge: () => string | undefined;
  /** Why same-node traffic by pod IP is not filtered on this host, if it is not. */
  unenforced?: string;
  log: (message: string) => void;
}

/** How long a refused connection is held before it is closed: the client sees a timeout, as with a drop. */
export const DENIED_HOLD_MS = 30_000;

/** A connection a policy refuses looks dropped: no answer, then (long after clients give up) closed. */
export function holdDenied(socket: { pause(): void; destroy(): void; on(e: "error", f: () => void): void }): void {
  socket.on("error", () => {});
  socket.pause();
  setTimeout(() => socket.destroy(), DENIED_HOLD_MS).unref();
}

/** Normalises an accepted socket's address (IPv4-mapped IPv6 as Node reports it on dual-stack listeners). */
export const plainAddress = (address: string | undefined) => (address ?? "").replace(/^::ffff:/, "");

export class NetworkPolicyEnforcer implements PolicyGate {
  #evaluator = new PolicyEvaluator({ policies: [], namespaces: [], pods: [] });
  #version: string | undefined;
  #warned = false;
  /** Whether the host's chains were ever written (a cluster that never had a policy never touches them). */
  #applied = false;
  /** Connections the userspace paths refused (tests and diagnostics). */
  readonly counts = { denied: 0 };

  constructor(private readonly options: EnforcerOptions) {}

  get version(): string | undefined {
    return this.#version;
  }

  /** Policies are in force on this node as far as it can enforce them, or the reason they are not fully. */
  get unenforced(): string | undefined {
    return this.options.unenforced;
  }

  update(data: NetworkPolicyData): void {
    this.#evaluator = new PolicyEvaluator(data);
    this.#version = data.version;
    if (data.policies.length > 0 && this.options.unenforced && !this.#warned) {
      this.#warned = true;
      this.options.log(
        `network policies: pod-to-pod traffic on this node by pod IP is NOT filtered (${this.options.unenforced}); Services and other nodes' pods are`,
      );
    }
    void this.sync().catch((error: Error) => this.options.log(`network policies: ${error.message}`));
  }

  /** Brings the host's chains to the current evaluation (after an update, or once the bridge exists). */
  async sync(): Promise<void> {
    const bridge = this.options.bridge();
    const firewall = this.options.firewall;
    if (!firewall || !bridge || (!this.#applied && this.#evaluator.view.policies.length === 0)) return;
    this.#applied = true;
    const local = this.#evaluator.view.pods.filter((p) => p.nodeName === this.options.nodeName);
    await firewall.apply(
      bridge,
      local.map((pod) => ({ ip: pod.ip, rules: this.#evaluator.rulesFor(pod) })),
    );
  }

  allows(source: string, destination: string, port: number, protocol = "TCP"): boolean {
    const ok = this.#evaluator.allows(plainAddress(source), plainAddress(destination), port, protocol);
    if (!ok) this.counts.denied++;
    return ok;
  }

  async cleanup(): Promise<void> {
    const bridge = this.options.bridge();
    if (this.options.firewall && bridge) await this.options.firewall.cleanup(bridge);
  }
}
