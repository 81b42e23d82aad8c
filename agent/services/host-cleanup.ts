// For tests and tools that clean up after agents without asking them: the pod networks of the given
// nodes (found by their label), and each one's Service interface, nat chains and NetworkPolicy filter chains (named after the same id).
import type Docker from "dockerode";
import { POD_NETWORK_NODE_LABEL } from "../runtime/docker/pod-network.ts";
import { PolicyFirewall } from "../network-policy/firewall.ts";
import { HostServices } from "./host-services.ts";

export async function removeNodeNetworks(docker: Docker, nodes: readonly string[]): Promise<void> {
  for (const node of nodes) {
    const networks = await docker.listNetworks({ filters: { label: [`${POD_NETWORK_NODE_LABEL}=${node}`] } });
    for (const n of networks) {
      const id = n.Name.replace(/^flotilla-/, "");
      await new HostServices(id, `fls${id}`).cleanup(`flt${id}`);
      await new PolicyFirewall(id).cleanup(`flt${id}`);
      await docker
        .getNetwork(n.Name)
        .remove()
        .catch(() => {});
    }
  }
}
