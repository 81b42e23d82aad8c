import { describe, expect, it } from "vitest";
import { hostSubnets, routeSubnets } from "./host-subnets.ts";

describe("host subnets", () => {
  it("reads route destinations, not the default route, single hosts as /32", () => {
    const text = [
      "default via 172.16.0.1 dev eth0",
      "10.88.0.0/16 dev cni-podman0 proto kernel scope link src 10.88.0.1",
      "10.244.7.0/24 dev flt1234 proto kernel scope link src 10.244.7.1",
      "192.168.5.9 dev tun0 scope link",
      "",
    ].join("\n");
    expect(routeSubnets(text)).toEqual(["10.88.0.0/16", "10.244.7.0/24", "192.168.5.9/32"]);
  });

  it("adds the runtime's networks' IPv4 subnets and survives a runtime or ip that fails", async () => {
    const docker = {
      listNetworks: async () => [
        { Name: "podman", IPAM: { Config: [{ Subnet: "10.88.0.0/16" }] } },
        { Name: "flotilla-x", IPAM: { Config: [{ Subnet: "10.244.9.0/24" }, { Subnet: "fd00::/64" }] } },
      ],
    };
    const ip = async () => "10.244.9.0/24 dev flt0 scope link\n";
    expect(await hostSubnets(docker as never, ip)).toEqual(["10.244.9.0/24", "10.88.0.0/16"]);
    const broken = { listNetworks: async () => Promise.reject(new Error("down")) };
    const noIp = async () => Promise.reject(new Error("no ip"));
    expect(await hostSubnets(broken as never, noIp)).toEqual([]);
  });
});
