import { describe, expect, it } from "vitest";
import { bareHost, ingressHost, parseEdgeHost, serviceHost, serviceHostPart } from "./edge-hosts.ts";

const ID = "abcdefghijklmnopqrstuvwxyz";
const OTHER = "zyxwvutsrqponmlkjihgfedcba";

describe("edge host names", () => {
  it("name a Service and the ingress address under the domain, and parse back to the same cluster", () => {
    expect(serviceHost("web", "default", ID, "flotilla.dev")).toBe(`web-default-${ID}.flotilla.dev`);
    expect(ingressHost(ID, "flotilla.dev")).toBe(`${ID}.flotilla.dev`);
    expect(parseEdgeHost(`web-default-${ID}.flotilla.dev:443`, "flotilla.dev")).toEqual({
      kind: "service",
      clusterId: ID,
      service: "web-default",
    });
    expect(parseEdgeHost(`${ID}.FLOTILLA.dev`, "flotilla.dev")).toEqual({ kind: "ingress", clusterId: ID });
  });

  it("the cluster id always ends the label: another tenant's id in front of ours names ours", () => {
    expect(parseEdgeHost(`x-${OTHER}-${ID}.flotilla.dev`, "flotilla.dev")).toMatchObject({ clusterId: ID });
  });

  it.each([
    [`web.${ID}.flotilla.dev`],
    [`web-default-${ID}x.flotilla.dev`],
    [`web-default-${ID.slice(1)}.flotilla.dev`],
    [`${ID}.other.dev`],
    ["flotilla.dev"],
    [`-${ID}.flotilla.dev`],
    [`${ID}.flotilla.dev.evil.test`],
  ])("%s names nothing", (host) => {
    expect(parseEdgeHost(host, "flotilla.dev")).toBeUndefined();
  });

  it("names nothing without a domain", () => {
    expect(parseEdgeHost(`${ID}.flotilla.dev`, undefined)).toBeUndefined();
  });

  it("long names are cut and hashed to fit one label, and stay distinct", () => {
    const a = serviceHostPart("a-very-long-service-name", "a-long-namespace-too");
    const b = serviceHostPart("a-very-long-service-name", "a-long-namespace-two");
    expect(a.length).toBeLessThanOrEqual(36);
    expect(a).not.toBe(b);
    expect(`${a}-${ID}`.length).toBeLessThanOrEqual(63);
    expect(parseEdgeHost(`${a}-${ID}.d.test`, "d.test")).toMatchObject({ service: a });
  });

  it("bareHost drops the port and a final dot", () => {
    expect(bareHost("Web.Example:8443")).toBe("web.example");
    expect(bareHost("example.")).toBe("example");
    expect(bareHost("[::1]:8787")).toBe("[::1]");
  });
});
