// NodePorts: a host port (protocol, IP) may be held by one pod per node; 0.0.0.0 overlaps every IP.
import { type HostPort, type Plugin, unschedulable } from "../types.ts";

const ANY_IP = "0.0.0.0";

export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.hostIP === b.hostIP || a.hostIP === ANY_IP || b.hostIP === ANY_IP;
}

export const nodePorts: Plugin = {
  name: "NodePorts",
  filter: {
    preFilter: (_state, pod) => pod.hostPorts.length > 0,
    filter(_state, pod, node) {
      for (const want of pod.hostPorts)
        for (const used of node.usedPorts)
          if (portsConflict(want, used))
            return unschedulable("node(s) didn't have free ports for the requested pod ports");
      return null;
    },
  },
};
