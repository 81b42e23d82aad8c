// The IPv4 networks the host already uses, told to the cluster when the node joins (JoinRequest.hostSubnets)
// so node IPAM gives it a pod range its runtime will accept: the runtime's other networks (another cluster's
// agent on this machine has its own bridge) and the host's routes. Best effort: what cannot be read is left out.
import type Docker from "dockerode";
import { type Run, run } from "../../services/host-services.ts";

const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;

/** Destinations of `ip -4 -o route show` (all tables' main view), as CIDRs; the default route is not one. */
export function routeSubnets(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const dest = line.trim().split(/\s+/)[0] ?? "";
    if (IPV4_CIDR.test(dest)) out.push(dest.includes("/") ? dest : `${dest}/32`);
  }
  return out;
}

export async function hostSubnets(docker: Docker, exec: Run = run): Promise<string[]> {
  const found = new Set<string>();
  const networks = await docker.listNetworks().catch(() => []);
  for (const n of networks)
    for (const config of n.IPAM?.Config ?? []) {
      const subnet = (config as { Subnet?: string }).Subnet;
      if (subnet && IPV4_CIDR.test(subnet)) found.add(subnet);
    }
  const routes = await exec("ip", ["-4", "-o", "route", "show"]).catch(() => "");
  for (const cidr of routeSubnets(routes)) found.add(cidr);
  return [...found].sort();
}
