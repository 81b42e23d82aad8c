// The sync body's optional asks survive the typed decode (it drops fields the protocol does not name).
import { describe, expect, it } from "vitest";
import { parseSyncRequest } from "./parse.ts";

describe("parseSyncRequest", () => {
  it.each([
    [
      { nodeName: "a", wantDNS: true, dnsVersion: "17" },
      { wantDNS: true, dnsVersion: "17" },
    ],
    [
      { nodeName: "a", wantDNS: true },
      { wantDNS: true, dnsVersion: undefined },
    ],
    [{ nodeName: "a", wantServices: true, surplus: 1 }, { wantServices: true }],
  ])("%j keeps %j", (body, kept) => {
    const req = parseSyncRequest(structuredClone(body)) as unknown as Record<string, unknown>;
    expect(req).toMatchObject(kept);
    expect(req).not.toHaveProperty("surplus");
  });

  it("refuses a dnsVersion that is not a string with a 400", () => {
    expect(() => parseSyncRequest({ nodeName: "a", wantDNS: true, dnsVersion: 17 })).toThrow(/dnsVersion/);
  });
});
