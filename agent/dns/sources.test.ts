import type os from "node:os";
import { describe, expect, it } from "vitest";
import { localSources } from "./sources.ts";

const iface = (address: string, cidr: string, family = "IPv4") =>
  ({ address, cidr, family }) as os.NetworkInterfaceInfo;
const interfaces = {
  lo: [iface("127.0.0.1", "127.0.0.1/8")],
  eth0: [iface("192.0.2.2", "192.0.2.2/24")],
  "cni-podman0": [iface("10.88.0.1", "10.88.0.1/16")],
  "other-cluster": [iface("10.89.0.1", "10.89.0.1/16")],
};

describe("localSources", () => {
  const allowed = localSources("10.88.0.1", () => interfaces);
  it.each([
    ["10.88.3.7", true, "a pod of this node's network"],
    ["10.88.0.1", true, "the node, from the gateway"],
    ["192.0.2.2", true, "the node, from its own address"],
    ["127.0.0.1", true, "the node, over loopback"],
    ["10.89.0.5", false, "a pod of another network on the host (another cluster)"],
    ["192.0.2.9", false, "a neighbour on the LAN"],
    ["not-an-ip", false, "garbage"],
  ])("%s → %s (%s)", (address, want) => {
    expect(allowed(address)).toBe(want);
  });
});
