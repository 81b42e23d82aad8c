import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectNodeFacts, defaultNodeName, goArch, prettyName, primaryAddress } from "./node-info.ts";
import { parseQuantity } from "./quantity.ts";

describe("node facts", () => {
  it("reports real capacity, allocatable below capacity, nodeInfo and labels", async () => {
    const dir = await mkdtemp(join(tmpdir(), "facts-"));
    const facts = await collectNodeFacts("n1", "podman://4.3.1", dir, { zone: "a" });
    expect(Number(facts.capacity.cpu)).toBeGreaterThan(0);
    expect(facts.capacity.pods).toBe("110");
    expect(facts.capacity.memory).toMatch(/^\d+Ki$/);
    expect(parseQuantity(facts.allocatable.memory)!).toBeLessThan(parseQuantity(facts.capacity.memory)!);
    expect(facts.capacity["ephemeral-storage"]).toMatch(/^\d+Ki$/);
    expect(facts.nodeInfo).toMatchObject({
      containerRuntimeVersion: "podman://4.3.1",
      operatingSystem: "linux",
      kubeletVersion: "v1.32.0-flotilla",
    });
    expect(facts.nodeInfo.kernelVersion).not.toBe("");
    expect(facts.labels).toMatchObject({ "kubernetes.io/hostname": "n1", "kubernetes.io/os": "linux", zone: "a" });
    expect(facts.addresses.map((a) => a.type)).toEqual(["InternalIP", "Hostname"]);
  });
});

it.each([
  ["x64", "amd64"],
  ["arm64", "arm64"],
  ["ia32", "386"],
  ["mips", "mips"],
])("goArch(%s) = %s", (node, go) => expect(goArch(node)).toBe(go));

it("prettyName reads os-release", () => {
  expect(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe(
    "Debian GNU/Linux 12 (bookworm)",
  );
  expect(prettyName("NAME=x")).toBeUndefined();
});

it("primaryAddress skips loopback and IPv6", () => {
  const lo = { address: "127.0.0.1", family: "IPv4", internal: true, netmask: "", mac: "", cidr: null } as const;
  const v6 = {
    address: "fe80::1",
    family: "IPv6",
    internal: false,
    netmask: "",
    mac: "",
    cidr: null,
    scopeid: 0,
  } as const;
  const eth = { address: "10.1.2.3", family: "IPv4", internal: false, netmask: "", mac: "", cidr: null } as const;
  expect(primaryAddress({ lo: [lo], eth0: [v6, eth] })).toBe("10.1.2.3");
  expect(primaryAddress({ lo: [lo] })).toBe("127.0.0.1");
});

it.each([
  ["MyHost", "myhost"],
  ["host_name.local", "host-name.local"],
  ["---", "node"],
])("defaultNodeName(%s) = %s", (host, name) => expect(defaultNodeName(host)).toBe(name));
