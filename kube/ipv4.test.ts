import { describe, expect, it } from "vitest";
import { cidrContains, cidrString, ipString, parseCIDR, parseIP } from "./ipv4.ts";

describe("ipv4", () => {
  it("parses dotted quads strictly, as Go's net.ParseIP", () => {
    expect(parseIP("10.244.1.5")).toBe(((10 << 24) | (244 << 16) | (1 << 8) | 5) >>> 0);
    expect(ipString(parseIP("255.255.255.255") ?? 0)).toBe("255.255.255.255");
    for (const bad of ["10.244.1", "10.244.1.256", "10.244.1.-1", " 10.244.1.5", "10.244.1.5 ", "a.b.c.d", "::1", ""])
      expect(parseIP(bad)).toBeUndefined();
  });

  it("masks CIDRs to their network and tells what they hold", () => {
    const c = parseCIDR("10.244.3.9/24");
    expect(c && cidrString(c)).toBe("10.244.3.0/24");
    expect(c && cidrContains(c, parseIP("10.244.3.255") ?? 0)).toBe(true);
    expect(c && cidrContains(c, parseIP("10.244.4.0") ?? 0)).toBe(false);
    expect(cidrString(parseCIDR("1.2.3.4/0") ?? { base: 1, prefix: 1 })).toBe("0.0.0.0/0");
    for (const bad of ["10.244.3.0", "10.244.3.0/33", "10.244.3.0/24/1", "10.244.3.0/", "x/24"])
      expect(parseCIDR(bad)).toBeUndefined();
  });
});
