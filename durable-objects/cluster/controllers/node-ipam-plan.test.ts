import { describe, expect, it } from "vitest";
import { parseCIDR } from "../../../kube/ipv4.ts";
import { allocateNext, CIDRSet, HeldRanges, overlapping } from "./node-ipam-plan.ts";

describe("node IPAM plan", () => {
  const set = new CIDRSet();

  it("cuts 10.244.0.0/16 into 256 /24 ranges", () => {
    expect(set.size).toBe(256);
    expect(set.at(0)).toBe("10.244.0.0/24");
    expect(set.at(255)).toBe("10.244.255.0/24");
    expect(set.indexOf("10.244.7.0/24")).toBe(7);
  });

  it("recognises only whole node ranges of the cluster CIDR", () => {
    for (const bad of ["10.245.0.0/24", "10.244.1.0/25", "10.244.1.5/24", "garbage", "10.244.1.0", "10.244.1.0/24/1"])
      expect(set.indexOf(bad)).toBeUndefined();
    expect(parseCIDR("10.244.1.9/24")).toEqual({ base: parseCIDR("10.244.1.0/24")?.base, prefix: 24 });
  });

  it("allocates from the candidate on, skipping ranges nodes hold, wrapping round", () => {
    const used = new HeldRanges(set);
    for (const node of [
      { name: "a", podCIDRs: ["10.244.0.0/24"] },
      { name: "b", podCIDRs: ["10.244.1.0/24"] },
      { name: "c", podCIDRs: [] },
    ])
      used.hold(node);
    expect(allocateNext(set, used, 0)).toEqual({ cidr: "10.244.2.0/24", index: 2 });
    expect(allocateNext(set, used, 255)).toEqual({ cidr: "10.244.255.0/24", index: 255 });
    const almost = new Set(Array.from({ length: 255 }, (_, i) => i + 1));
    expect(allocateNext(set, almost, 9)).toEqual({ cidr: "10.244.0.0/24", index: 0 });
  });

  it("keeps what nodes hold as they change: a range is free once no node names it", () => {
    const held = new HeldRanges(set);
    held.hold({ name: "a", podCIDRs: ["10.244.5.0/24"] });
    held.hold({ name: "b", podCIDRs: ["10.244.5.0/24"] }); // claimed twice, by hand
    held.hold({ name: "c", podCIDRs: ["garbage"] });
    expect(held.has(5)).toBe(true);
    held.release("a");
    expect(held.has(5)).toBe(true);
    held.hold({ name: "b", podCIDRs: ["10.244.6.0/24"] }); // b's range changed: 5 is nobody's now
    expect([held.has(5), held.has(6)]).toEqual([false, true]);
    held.release("b");
    held.release("nobody");
    expect(held.has(6)).toBe(false);
  });

  it("finds nothing when every range is held", () => {
    const all = new Set(Array.from({ length: 256 }, (_, i) => i));
    expect(allocateNext(set, all, 0)).toBeUndefined();
    const small = new CIDRSet("10.244.0.0/23", 24);
    expect(small.size).toBe(2);
    expect(allocateNext(small, new Set([0, 1]), 1)).toBeUndefined();
  });

  it("finds the ranges a host's networks overlap: smaller, larger, partly outside, or elsewhere", () => {
    expect([...overlapping(set, ["10.244.3.128/25"])]).toEqual([3]);
    expect([...overlapping(set, ["10.244.4.0/23"])]).toEqual([4, 5]);
    expect(overlapping(set, ["10.0.0.0/8"]).size).toBe(256);
    expect([...overlapping(set, ["10.88.0.0/16", "192.168.1.0/24", "garbage"])]).toEqual([]);
    expect([...overlapping(new CIDRSet("10.244.0.0/23", 24), ["10.244.1.0/24", "10.244.2.0/24"])]).toEqual([1]);
  });
});
