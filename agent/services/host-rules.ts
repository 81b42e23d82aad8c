// What the agent puts in the host's nat table, pure: kube-proxy's userspace mode in iptables terms. Each
// Service port's cluster IP and node port is DNATed to the agent's listener for it (on the pod network's
// gateway), so a pod connects to clusterIP:port (or a host to nodeIP:nodePort) and the listener knows the
// Service by the port the connection arrived at; TCP to another node's pod CIDR is DNATed to the agent's
// pod relay, which finds the original destination in the conntrack table. Every rule lives in chains named
// after the agent (two agents on one machine never touch each other's), rewritten whole on each change.
// Cluster-IP and pod-relay rules match only what comes from the agent's own bridge, so one cluster's pods
// never reach another cluster's Services on a shared host.

export interface ServiceTarget {
  clusterIP?: string;
  port: number;
  nodePort?: number;
  /** Where the agent serves this Service port: its listener's address and port. */
  host: string;
  listenerPort: number;
}

export interface HostRulesInput {
  /** The agent's short id (agentNetworkNames): chain names are FLT-<id>-SVC, -NP and -POD. */
  id: string;
  /** The pod network's bridge interface. */
  bridge: string;
  services: ServiceTarget[];
  /** Other nodes' pod CIDRs and the relay listener connections to them are sent to. */
  relay?: { cidrs: string[]; host: string; port: number };
}

export const chainNames = (id: string) => ({ svc: `FLT-${id}-SVC`, np: `FLT-${id}-NP`, pod: `FLT-${id}-POD` });

/** The jumps from the built-in chains into the agent's own (each checked for and added once). */
export function jumpRules(id: string, bridge: string): string[][] {
  const c = chainNames(id);
  return [
    ["PREROUTING", "-i", bridge, "-j", c.svc],
    ["PREROUTING", "-i", bridge, "-j", c.pod],
    ["PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", c.np],
    ["OUTPUT", "-j", c.svc],
    ["OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", c.np],
  ];
}

/** iptables-restore --noflush input: the agent's chains, declared (so flushed) and filled, in one commit. */
export function restoreText(input: HostRulesInput): string {
  const c = chainNames(input.id);
  const lines = ["*nat", `:${c.svc} - [0:0]`, `:${c.np} - [0:0]`, `:${c.pod} - [0:0]`];
  const seenNodePorts = new Set<number>();
  for (const s of input.services) {
    const to = `${s.host}:${s.listenerPort}`;
    if (s.clusterIP)
      lines.push(`-A ${c.svc} -d ${s.clusterIP}/32 -p tcp -m tcp --dport ${s.port} -j DNAT --to-destination ${to}`);
    if (s.nodePort && !seenNodePorts.has(s.nodePort)) {
      seenNodePorts.add(s.nodePort);
      lines.push(`-A ${c.np} -p tcp -m tcp --dport ${s.nodePort} -j DNAT --to-destination ${to}`);
    }
  }
  for (const cidr of input.relay?.cidrs ?? [])
    lines.push(`-A ${c.pod} -d ${cidr} -p tcp -j DNAT --to-destination ${input.relay?.host}:${input.relay?.port}`);
  lines.push("COMMIT", "");
  return lines.join("\n");
}

/** The cluster IPs the Service interface holds (one /32 each, as kube-proxy's IPVS mode on kube-ipvs0). */
export function serviceAddresses(services: readonly ServiceTarget[]): string[] {
  return [...new Set(services.flatMap((s) => (s.clusterIP ? [s.clusterIP] : [])))].sort();
}
