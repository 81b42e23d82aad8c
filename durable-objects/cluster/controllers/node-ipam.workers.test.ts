// Node IPAM end to end: a /24 per node, never two nodes on one, ranges freed with their node, and a
// CIDRNotAvailable event once all 256 are held.
import { describe, expect, it } from "vitest";
import type { ClusterClient } from "../testing/cluster-client.ts";
import { newCluster } from "../testing/cluster-client.ts";
import { type Json, until } from "./workers-helpers.ts";

const createNode = async (c: ClusterClient, name: string, spec: Json = {}) => {
  const res = await c.request("POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name }, spec });
  expect(res.status).toBe(201);
};

const podCIDR = (c: ClusterClient, name: string) =>
  until(async () => {
    const node = (await c.request("GET", `/api/v1/nodes/${name}`)).body;
    return node.spec?.podCIDR ? node.spec : undefined;
  }, `podCIDR of ${name}`);

describe("node IPAM controller", () => {
  it("gives each node its own /24 of 10.244.0.0/16 and keeps ranges nodes came with", async () => {
    const c = await newCluster();
    await createNode(c, "pinned", { podCIDR: "10.244.0.0/24", podCIDRs: ["10.244.0.0/24"] });
    for (const name of ["a", "b", "c"]) await createNode(c, name);
    const specs = await Promise.all(["pinned", "a", "b", "c"].map((n) => podCIDR(c, n)));
    const cidrs = specs.map((s) => s.podCIDR);
    expect(cidrs[0]).toBe("10.244.0.0/24");
    for (const s of specs) {
      expect(s.podCIDR).toMatch(/^10\.244\.\d{1,3}\.0\/24$/);
      expect(s.podCIDRs).toEqual([s.podCIDR]);
    }
    expect(new Set(cidrs).size).toBe(4);

    // Upstream refuses to move a range once set.
    const node = (await c.request("GET", "/api/v1/nodes/a")).body;
    const moved = await c.request("PUT", "/api/v1/nodes/a", {
      ...node,
      spec: { ...node.spec, podCIDR: "10.244.200.0/24", podCIDRs: ["10.244.200.0/24"] },
    });
    expect(moved.status).toBe(422);
    expect(moved.body.message).toContain('node updates may not change podCIDR except from "" to valid');
  });

  it("gives a node no range its host already uses (the networks its agent listed at join)", async () => {
    const c = await newCluster();
    // The host holds all of 10.244.0.0/16 but 10.244.77.0/24 (another cluster's bridges, a VPN's route).
    const taken = ["10.244.0.0/18", "10.244.64.0/21", "10.244.72.0/22", "10.244.76.0/24", "10.244.78.0/23"];
    const rest = ["10.244.80.0/20", "10.244.96.0/19", "10.244.128.0/17"];
    const res = await c.request("POST", "/api/v1/nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "crowded", annotations: { "node.flotilla.dev/host-subnets": [...taken, ...rest].join(",") } },
    });
    expect(res.status).toBe(201);
    expect((await podCIDR(c, "crowded")).podCIDR).toBe("10.244.77.0/24");
  });

  it("flags a node when the range is full and gives it the range a deleted node freed", async () => {
    const c = await newCluster();
    for (let i = 0; i < 256; i++) {
      const cidr = `10.244.${i}.0/24`;
      await createNode(c, `n${i}`, { podCIDR: cidr, podCIDRs: [cidr] });
    }
    await createNode(c, "late");
    const event = await until(async () => {
      const items = (await c.request("GET", "/api/v1/events?fieldSelector=involvedObject.name=late")).body.items;
      return items.find((e: Json) => e.reason === "CIDRNotAvailable");
    }, "CIDRNotAvailable event");
    expect(event).toMatchObject({
      type: "Normal",
      message: "Node late status is now: CIDRNotAvailable",
      involvedObject: { kind: "Node", name: "late" },
      source: { component: "cidrAllocator" },
    });
    expect((await c.request("GET", "/api/v1/nodes/late")).body.spec?.podCIDR).toBeUndefined();

    expect((await c.request("DELETE", "/api/v1/nodes/n42")).status).toBe(200);
    expect((await podCIDR(c, "late")).podCIDR).toBe("10.244.42.0/24");
    // 257 node creates through the API: well inside 30 s alone, not on two cores shared with other suites.
  }, 120_000);
});
