import { describe, expect, it } from "vitest";
import { checkHostNetworking, HostServices, type Run } from "./host-services.ts";

/** Records commands; `ip -o link show` fails until the link was added, `-C` checks fail (no jump yet). */
function fakeHost() {
  const calls: string[] = [];
  let linked = false;
  const exec: Run = async (command, args, input) => {
    const line = [command, ...args].join(" ");
    calls.push(input ? `${line} <<${input.split("\n").length} lines` : line);
    if (line.includes("link show") && !linked) throw new Error("does not exist");
    if (line.includes("type dummy")) throw new Error("Unknown device type");
    if (line.includes("type bridge")) linked = true;
    if (args.includes("-C")) throw new Error("no such rule");
    if (args.includes("-D")) throw new Error("no such rule");
    if (line.includes("addr show")) return "";
    return "";
  };
  return { calls, exec };
}

const target = (clusterIP: string) => ({ clusterIP, port: 80, host: "10.244.0.1", listenerPort: 40000 });

describe("HostServices", () => {
  it("makes its interface (a bridge where the kernel has no dummy driver), addresses, chains and jumps once", async () => {
    const { calls, exec } = fakeHost();
    const host = new HostServices("ab12", "flsab12", exec);
    await host.apply({ id: "ab12", bridge: "fltab12", services: [target("10.96.0.20")] });
    expect(calls).toContain("ip link add flsab12 type bridge");
    expect(calls).toContain("ip addr add 10.96.0.20/32 dev flsab12");
    expect(calls).toContain("iptables-restore -w --noflush <<7 lines");
    expect(calls).toContain("iptables -w -t nat -I PREROUTING 1 -i fltab12 -j FLT-ab12-SVC");
    const count = calls.length;
    await host.apply({ id: "ab12", bridge: "fltab12", services: [target("10.96.0.20")] });
    expect(calls.length).toBe(count); // nothing changed, nothing run

    await host.apply({ id: "ab12", bridge: "fltab12", services: [target("10.96.0.30")] });
    expect(calls.slice(count)).toEqual([
      "ip addr add 10.96.0.30/32 dev flsab12",
      "ip addr del 10.96.0.20/32 dev flsab12",
      "iptables-restore -w --noflush <<7 lines",
    ]);
  });

  it("removes its jumps, chains and interface on cleanup", async () => {
    const { calls, exec } = fakeHost();
    await new HostServices("ab12", "flsab12", exec).cleanup("fltab12");
    expect(calls).toEqual([
      "iptables -w -t nat -D PREROUTING -i fltab12 -j FLT-ab12-SVC",
      "iptables -w -t nat -D PREROUTING -i fltab12 -j FLT-ab12-POD",
      "iptables -w -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j FLT-ab12-NP",
      "iptables -w -t nat -D OUTPUT -j FLT-ab12-SVC",
      "iptables -w -t nat -D OUTPUT -m addrtype --dst-type LOCAL -j FLT-ab12-NP",
      "iptables -w -t nat -F FLT-ab12-SVC",
      "iptables -w -t nat -X FLT-ab12-SVC",
      "iptables -w -t nat -F FLT-ab12-NP",
      "iptables -w -t nat -X FLT-ab12-NP",
      "iptables -w -t nat -F FLT-ab12-POD",
      "iptables -w -t nat -X FLT-ab12-POD",
      "ip link del flsab12",
    ]);
  });

  it("says what the host lacks", async () => {
    const missing: Run = async (command) => {
      if (command === "iptables") throw new Error("can't initialize iptables table `nat'");
      return "";
    };
    const why = await checkHostNetworking(missing);
    if (process.getuid?.() === 0) expect(why).toContain("iptables' nat table is not usable");
    else expect(why).toBe("the agent does not run as root");
    const noIp: Run = async (command) => {
      if (command === "ip") throw new Error("ENOENT");
      return "";
    };
    if (process.getuid?.() === 0) expect(await checkHostNetworking(noIp)).toBe("iproute2 (ip) is not installed");
  });
});
