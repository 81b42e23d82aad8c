// Who may ask the node's DNS server: the pods of this node's pod network (the subnet of the interface
// holding the gateway) and the node itself (its own addresses). Pods of another cluster's network on the
// same host — and anyone routing to the gateway from outside — are not answered: a cluster's names never
// leak to another cluster's pods.
import net from "node:net";
import os from "node:os";

const REFRESH_MS = 5_000;

type Interfaces = ReturnType<typeof os.networkInterfaces>;

export function sourceList(gateway: string, interfaces: Interfaces = os.networkInterfaces()): net.BlockList {
  const list = new net.BlockList();
  for (const info of Object.values(interfaces).flat()) {
    if (!info) continue;
    const family = info.family === "IPv6" ? "ipv6" : "ipv4";
    list.addAddress(info.address, family);
    if (info.address === gateway && info.cidr) {
      const prefix = Number(info.cidr.split("/")[1]);
      list.addSubnet(info.address, prefix, family);
    }
  }
  return list;
}

/** A predicate over source addresses, re-read from the host's interfaces every few seconds. */
export function localSources(gateway: string, interfaces = () => os.networkInterfaces()): (address: string) => boolean {
  let list = sourceList(gateway, interfaces());
  let at = Date.now();
  return (address) => {
    if (Date.now() - at > REFRESH_MS) {
      list = sourceList(gateway, interfaces());
      at = Date.now();
    }
    const family = net.isIPv6(address) ? "ipv6" : "ipv4";
    return net.isIP(address) !== 0 && list.check(address, family);
  };
}
