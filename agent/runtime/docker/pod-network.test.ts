import { describe, expect, it } from "vitest";
import { agentNetworkNames, gatewayOf } from "./pod-network.ts";

describe("pod network names and addresses", () => {
  it("names an agent's network, bridge and Service interface after its server and node, within IFNAMSIZ", () => {
    const a = agentNetworkNames("https://x/clusters/one", "node-a");
    const b = agentNetworkNames("https://x/clusters/two", "node-a");
    expect(a.network).toMatch(/^flotilla-[0-9a-f]{8}$/);
    expect(a.bridge).toBe(`flt${a.id}`);
    expect(a.services).toBe(`fls${a.id}`);
    expect(a.bridge.length).toBeLessThanOrEqual(15);
    expect(b.id).not.toBe(a.id);
    expect(agentNetworkNames("https://x/clusters/one", "node-a")).toEqual(a);
  });

  it("puts the gateway at the range's first address", () => {
    expect(gatewayOf("10.244.3.0/24")).toBe("10.244.3.1");
    expect(gatewayOf("10.244.255.0/24")).toBe("10.244.255.1");
  });
});
