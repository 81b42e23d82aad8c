import { describe, expect, it } from "vitest";
import { firewallText, policyJumps } from "./firewall-rules.ts";

describe("NetworkPolicy firewall rules", () => {
  it("writes nothing but the conntrack pass when no local pod is isolated", () => {
    expect(firewallText("ab12", [{ ip: "10.244.0.5", rules: {} }]).split("\n")).toEqual([
      "*filter",
      ":FLT-ab12-NPI - [0:0]",
      ":FLT-ab12-NPE - [0:0]",
      "-A FLT-ab12-NPI -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN",
      "-A FLT-ab12-NPE -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN",
      "COMMIT",
      "",
    ]);
  });

  it("returns for each allowance and drops the rest of an isolated pod's traffic", () => {
    const text = firewallText("ab12", [
      {
        ip: "10.244.0.5",
        rules: {
          ingress: [
            { peers: [{ cidr: "10.244.0.7/32", except: [] }], ports: [{ protocol: "TCP", port: 80, endPort: 80 }] },
            { peers: [{ cidr: "172.17.0.0/24", except: ["172.17.0.0/25"] }] },
          ],
          egress: [
            {
              ports: [
                { protocol: "UDP", port: 5000, endPort: 5010 },
                { protocol: "TCP", port: 1, endPort: 65535 },
              ],
            },
          ],
        },
      },
      { ip: "10.244.0.6", rules: { ingress: [] } },
    ]);
    expect(text.split("\n").slice(5, -2)).toEqual([
      "-A FLT-ab12-NPE -s 10.244.0.5/32 -p udp -m udp --dport 5000:5010 -j RETURN",
      "-A FLT-ab12-NPE -s 10.244.0.5/32 -p tcp -j RETURN",
      "-A FLT-ab12-NPE -s 10.244.0.5/32 -j DROP",
      "-A FLT-ab12-NPI -d 10.244.0.5/32 -s 10.244.0.7/32 -p tcp -m tcp --dport 80 -j RETURN",
      "-A FLT-ab12-NPI -d 10.244.0.5/32 -s 172.17.0.128/25 -j RETURN",
      "-A FLT-ab12-NPI -d 10.244.0.5/32 -j DROP",
      "-A FLT-ab12-NPI -d 10.244.0.6/32 -j DROP",
    ]);
  });

  it("leaves IPv6 blocks to the userspace checks (the pod networks are IPv4)", () => {
    const text = firewallText("x", [
      { ip: "10.244.0.5", rules: { ingress: [{ peers: [{ cidr: "2001:db8::/64", except: [] }] }] } },
    ]);
    expect(text).not.toContain("2001");
    expect(text).toContain("-A FLT-x-NPI -d 10.244.0.5/32 -j DROP");
  });

  it("jumps from FORWARD for traffic entering and leaving the bridge", () => {
    expect(policyJumps("x", "fltx")).toEqual([
      ["FORWARD", "-o", "fltx", "-j", "FLT-x-NPI"],
      ["FORWARD", "-i", "fltx", "-j", "FLT-x-NPE"],
    ]);
  });
});
