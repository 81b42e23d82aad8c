// NetworkPolicy semantics, pure: given the policies, pods and namespaces of a cluster, what each pod may
// receive and send, as upstream defines it (the NetworkPolicy concepts page and the networking/v1 API docs).
// A pod is isolated for ingress (egress) only when some policy of its namespace selects it and lists
// Ingress (Egress) in policyTypes; an isolated pod's allowed traffic is the union of every selecting policy's
// rules of that direction, and a connection needs both the source's egress and the destination's ingress.
// Rules come out resolved (peers as address blocks, named ports as numbers) so the same answer serves the
// agent's firewall rules and its userspace checks (service proxy, pod relay, tunnel).
import { cidrContains, cidrString, parseCIDR, parseIP } from "./ipv4.ts";
import { matchesLabels, requirementsFromLabelSelector } from "./labels.ts";
import type { NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from "./network-policy.ts";
import type { LabelSelector } from "./types.ts";

export interface PolicyEntry {
  namespace: string;
  name: string;
  spec: NetworkPolicySpec;
}

export interface NamespaceEntry {
  name: string;
  labels?: Record<string, string>;
}

/** A container port with a name, which a policy's named port can mean. */
export interface NamedPort {
  name: string;
  port: number;
  protocol: string;
}

export interface PodEntry {
  namespace: string;
  name: string;
  ip: string;
  nodeName?: string;
  labels?: Record<string, string>;
  namedPorts?: NamedPort[];
}

/** Everything the evaluation reads (what sync gives an agent). */
export interface PolicyView {
  policies: PolicyEntry[];
  namespaces: NamespaceEntry[];
  pods: PodEntry[];
}

/** An address range a rule allows, as a CIDR less the ranges inside it. */
export interface PeerBlock {
  cidr: string;
  except: string[];
}

export interface PortRange {
  protocol: string;
  port: number;
  endPort: number;
}

/** One allowance: any of `peers` (undefined: any address) on any of `ports` (undefined: every port). */
export interface Allow {
  peers?: PeerBlock[];
  ports?: PortRange[];
}

/** A pod's isolation: undefined for a direction it is not isolated in, else what that direction allows. */
export interface PodRules {
  ingress?: Allow[];
  egress?: Allow[];
}

const DEFAULT_PROTOCOL = "TCP";

function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  try {
    return matchesLabels(requirementsFromLabelSelector(selector ?? {}), labels ?? {});
  } catch {
    return false; // validation refuses these; a stored one selects nothing
  }
}

export class PolicyEvaluator {
  #byIP = new Map<string, PodEntry>();
  #namespaceLabels = new Map<string, Record<string, string>>();
  #rules = new Map<string, PodRules>();

  constructor(readonly view: PolicyView) {
    for (const pod of view.pods) if (pod.ip) this.#byIP.set(pod.ip, pod);
    for (const ns of view.namespaces) this.#namespaceLabels.set(ns.name, ns.labels ?? {});
  }

  podAt(ip: string): PodEntry | undefined {
    return this.#byIP.get(ip);
  }

  /** The pod's isolation and allowances, computed once per view. */
  rulesFor(pod: PodEntry): PodRules {
    const key = `${pod.namespace}/${pod.name}/${pod.ip}`;
    let rules = this.#rules.get(key);
    if (!rules) {
      rules = this.#compute(pod);
      this.#rules.set(key, rules);
    }
    return rules;
  }

  /**
   * Whether a connection from `source` to `destination` on port/protocol is allowed: the source pod's egress
   * (when the source is a pod) and the destination pod's ingress (when it is one). Addresses of no pod are
   * never isolated; they match ipBlock peers only.
   */
  allows(source: string, destination: string, port: number, protocol = DEFAULT_PROTOCOL): boolean {
    const from = this.#byIP.get(source);
    const to = this.#byIP.get(destination);
    if (from && !allowedBy(this.rulesFor(from).egress, destination, port, protocol)) return false;
    if (to && !allowedBy(this.rulesFor(to).ingress, source, port, protocol)) return false;
    return true;
  }

  #compute(pod: PodEntry): PodRules {
    const out: PodRules = {};
    for (const policy of this.view.policies) {
      if (policy.namespace !== pod.namespace || !selects(policy.spec.podSelector, pod.labels)) continue;
      const types = policy.spec.policyTypes ?? [];
      if (types.includes("Ingress")) {
        out.ingress ??= [];
        for (const rule of policy.spec.ingress ?? [])
          out.ingress.push(...this.#allow(policy.namespace, rule.from, rule.ports, pod));
      }
      if (types.includes("Egress")) {
        out.egress ??= [];
        for (const rule of policy.spec.egress ?? [])
          out.egress.push(...this.#allow(policy.namespace, rule.to, rule.ports, undefined));
      }
    }
    return out;
  }

  /**
   * One rule's allowances. Named ports mean the destination pod's container port of that name: for ingress
   * the selected pod itself (`destination`), for egress each pod the rule's peers reach.
   */
  #allow(
    namespace: string,
    peers: NetworkPolicyPeer[] | undefined,
    ports: NetworkPolicyPort[] | undefined,
    destination: PodEntry | undefined,
  ): Allow[] {
    const blocks = peers && peers.length > 0 ? peers.flatMap((p) => this.#peerBlocks(namespace, p)) : undefined;
    if (!ports || ports.length === 0) return [{ ...(blocks ? { peers: blocks } : {}) }];
    const numeric = ports.filter((p) => typeof p.port !== "string");
    const named = ports.filter((p) => typeof p.port === "string");
    const out: Allow[] = [];
    if (numeric.length > 0) out.push({ ...(blocks ? { peers: blocks } : {}), ports: numeric.map(portRange) });
    if (named.length === 0) return out;
    if (destination) {
      const resolved = resolveNamed(named, destination);
      if (resolved.length > 0) out.push({ ...(blocks ? { peers: blocks } : {}), ports: resolved });
      return out;
    }
    for (const pod of this.view.pods) {
      if (!pod.ip || (blocks && !blocks.some((b) => blockContains(b, pod.ip)))) continue;
      const resolved = resolveNamed(named, pod);
      if (resolved.length > 0) out.push({ peers: [{ cidr: `${pod.ip}/32`, except: [] }], ports: resolved });
    }
    return out;
  }

  #peerBlocks(namespace: string, peer: NetworkPolicyPeer): PeerBlock[] {
    if (peer.ipBlock) return [{ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] }];
    if (!peer.podSelector && !peer.namespaceSelector) return [];
    const inNamespace = (pod: PodEntry) =>
      peer.namespaceSelector
        ? selects(peer.namespaceSelector, this.#namespaceLabels.get(pod.namespace))
        : pod.namespace === namespace;
    return this.view.pods
      .filter((pod) => pod.ip && inNamespace(pod) && (!peer.podSelector || selects(peer.podSelector, pod.labels)))
      .map((pod) => ({ cidr: `${pod.ip}/32`, except: [] }));
  }
}

function portRange(p: NetworkPolicyPort): PortRange {
  const protocol = p.protocol ?? DEFAULT_PROTOCOL;
  if (typeof p.port !== "number") return { protocol, port: 1, endPort: 65535 };
  return { protocol, port: p.port, endPort: p.endPort ?? p.port };
}

function resolveNamed(named: NetworkPolicyPort[], pod: PodEntry): PortRange[] {
  const out: PortRange[] = [];
  for (const p of named) {
    const protocol = p.protocol ?? DEFAULT_PROTOCOL;
    const hit = pod.namedPorts?.find((n) => n.name === p.port && (n.protocol || DEFAULT_PROTOCOL) === protocol);
    if (hit) out.push({ protocol, port: hit.port, endPort: hit.port });
  }
  return out;
}

/** Whether the block holds the address (IPv4; an IPv6 block holds no IPv4 address). */
export function blockContains(block: PeerBlock, ip: string): boolean {
  const n = parseIP(ip);
  const cidr = parseCIDR(block.cidr);
  if (n === undefined || !cidr || !cidrContains(cidr, n)) return false;
  return !block.except.some((e) => {
    const except = parseCIDR(e);
    return except !== undefined && cidrContains(except, n);
  });
}

/** Whether a direction's allowances (undefined: not isolated) let this peer through on port/protocol. */
export function allowedBy(allows: Allow[] | undefined, peer: string, port: number, protocol: string): boolean {
  if (!allows) return true;
  return allows.some(
    (a) =>
      (!a.peers || a.peers.some((b) => blockContains(b, peer))) &&
      (!a.ports || a.ports.some((r) => r.protocol === protocol && port >= r.port && port <= r.endPort)),
  );
}

/** An IPv4 CIDR less the CIDRs inside it, as the fewest CIDRs covering the rest (for firewall rules). */
export function cidrMinus(cidr: string, except: readonly string[]): string[] {
  const whole = parseCIDR(cidr);
  if (!whole) return [];
  let left = [whole];
  for (const text of except) {
    const hole = parseCIDR(text);
    if (!hole) continue;
    left = left.flatMap((c) => {
      if (hole.prefix <= c.prefix) return cidrContains(hole, c.base) ? [] : [c];
      if (!cidrContains(c, hole.base)) return [c];
      // Split c in halves down to the hole's size, keeping the halves that do not hold it.
      const kept = [];
      let at = c;
      while (at.prefix < hole.prefix) {
        const prefix = at.prefix + 1;
        const low = { base: at.base, prefix };
        const high = { base: (at.base | (1 << (32 - prefix))) >>> 0, prefix };
        const [inside, outside] = cidrContains(low, hole.base) ? [low, high] : [high, low];
        kept.push(outside);
        at = inside;
      }
      return kept;
    });
  }
  return left.map(cidrString);
}
