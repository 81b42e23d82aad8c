import type os from "node:os";
import { describe, expect, it } from "vitest";
import { bindAddress } from "./gateway.ts";

const iface = (address: string) => ({ address }) as os.NetworkInterfaceInfo;
const interfaces = { lo: [iface("127.0.0.1")], "cni-podman0": [iface("10.88.0.1")] };

describe("bindAddress", () => {
  it.each([
    ["10.88.0.1", "10.88.0.1"],
    ["172.17.0.1", "127.0.0.1"],
    [undefined, "127.0.0.1"],
  ])("gateway %s → listen on %s", (gateway, want) => {
    expect(bindAddress(gateway, interfaces)).toBe(want);
  });
});
