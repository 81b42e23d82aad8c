// The agent's NetworkPolicy rules in iptables terms, pure: traffic the host forwards to or from this node's
// pods (pod to pod on the node's bridge — br_netfilter hands bridged frames to iptables — and pod to the
// world) passes two chains named after the agent. The egress chain holds each egress-isolated local pod's
// allowances as RETURNs for its source address and ends its traffic with a DROP; the ingress chain does the
// same for ingress-isolated pods by destination. Replies of allowed connections pass (conntrack), so a
// policy never cuts the answer to a connection it let out. Traffic from the node itself (the agent's own
// service proxy, relay and tunnel dials, kubelet-style probes) is never forwarded, so never filtered here:
// those paths ask the same evaluation in userspace.
import { cidrMinus, type Allow, type PodRules } from "../../kube/network-policy-plan.ts";
import { parseCIDR } from "../../kube/ipv4.ts";

export interface LocalPodRules {
  ip: string;
  rules: PodRules;
}

export const policyChains = (id: string) => ({ ingress: `FLT-${id}-NPI`, egress: `FLT-${id}-NPE` });

/** The jumps from FORWARD into the agent's chains, for traffic leaving or entering its bridge. */
export function policyJumps(id: string, bridge: string): string[][] {
  const c = policyChains(id);
  return [
    ["FORWARD", "-o", bridge, "-j", c.ingress],
    ["FORWARD", "-i", bridge, "-j", c.egress],
  ];
}

/** `-p tcp -m tcp --dport a:b` for one port range; nothing for "every port". */
function portMatches(allow: Allow): string[][] {
  if (!allow.ports) return [[]];
  return allow.ports.map((r) => {
    const proto = r.protocol.toLowerCase();
    const ports =
      r.port === 1 && r.endPort === 65535
        ? []
        : ["-m", proto, "--dport", r.port === r.endPort ? `${r.port}` : `${r.port}:${r.endPort}`];
    return ["-p", proto, ...ports];
  });
}

/** The IPv4 ranges the allowance's peers cover (excepts cut out); [undefined] for any address. */
function peerRanges(allow: Allow): (string | undefined)[] {
  if (!allow.peers) return [undefined];
  return allow.peers.flatMap((b) => (parseCIDR(b.cidr) ? cidrMinus(b.cidr, b.except) : []));
}

function directionRules(
  chain: string,
  self: "-s" | "-d",
  peer: "-s" | "-d",
  pods: LocalPodRules[],
  pick: (r: PodRules) => Allow[] | undefined,
): string[] {
  const lines: string[] = [];
  for (const pod of pods) {
    const allows = pick(pod.rules);
    if (!allows) continue;
    for (const allow of allows)
      for (const range of peerRanges(allow))
        for (const ports of portMatches(allow))
          lines.push(
            [
              `-A ${chain} ${self} ${pod.ip}/32`,
              ...(range ? [`${peer} ${range}`] : []),
              ...(ports.length ? [ports.join(" ")] : []),
              "-j RETURN",
            ].join(" "),
          );
    lines.push(`-A ${chain} ${self} ${pod.ip}/32 -j DROP`);
  }
  return lines;
}

/** iptables-restore --noflush input: both chains declared (so flushed) and filled, in one commit. */
export function firewallText(id: string, pods: LocalPodRules[]): string {
  const c = policyChains(id);
  const established = "-m conntrack --ctstate ESTABLISHED,RELATED -j RETURN";
  return [
    "*filter",
    `:${c.ingress} - [0:0]`,
    `:${c.egress} - [0:0]`,
    `-A ${c.ingress} ${established}`,
    `-A ${c.egress} ${established}`,
    ...directionRules(c.egress, "-s", "-d", pods, (r) => r.egress),
    ...directionRules(c.ingress, "-d", "-s", pods, (r) => r.ingress),
    "COMMIT",
    "",
  ].join("\n");
}
