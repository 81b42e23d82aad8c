import { describe, expect, it } from "vitest";
import { jumpRules, restoreText, serviceAddresses } from "./host-rules.ts";

describe("host rules", () => {
  const services = [
    { clusterIP: "10.96.0.20", port: 80, nodePort: 30080, host: "10.244.3.1", listenerPort: 41000 },
    { clusterIP: "10.96.0.20", port: 443, host: "10.244.3.1", listenerPort: 41001 },
    { clusterIP: "10.96.0.1", port: 443, host: "10.244.3.1", listenerPort: 41002 },
  ];

  it("DNATs each cluster IP and node port to its listener, in the agent's own chains", () => {
    expect(restoreText({ id: "ab12", bridge: "fltab12", services }).split("\n")).toEqual([
      "*nat",
      ":FLT-ab12-SVC - [0:0]",
      ":FLT-ab12-NP - [0:0]",
      ":FLT-ab12-POD - [0:0]",
      "-A FLT-ab12-SVC -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.3.1:41000",
      "-A FLT-ab12-NP -p tcp -m tcp --dport 30080 -j DNAT --to-destination 10.244.3.1:41000",
      "-A FLT-ab12-SVC -d 10.96.0.20/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.244.3.1:41001",
      "-A FLT-ab12-SVC -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.244.3.1:41002",
      "COMMIT",
      "",
    ]);
  });

  it("sends TCP to other nodes' pod CIDRs to the relay", () => {
    const text = restoreText({
      id: "ab12",
      bridge: "fltab12",
      services: [],
      relay: { cidrs: ["10.244.4.0/24"], host: "10.244.3.1", port: 42000 },
    });
    expect(text).toContain("-A FLT-ab12-POD -d 10.244.4.0/24 -p tcp -j DNAT --to-destination 10.244.3.1:42000");
  });

  it("matches cluster IPs and the relay only on the agent's bridge; node ports on any local address", () => {
    expect(jumpRules("ab12", "fltab12")).toEqual([
      ["PREROUTING", "-i", "fltab12", "-j", "FLT-ab12-SVC"],
      ["PREROUTING", "-i", "fltab12", "-j", "FLT-ab12-POD"],
      ["PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "FLT-ab12-NP"],
      ["OUTPUT", "-j", "FLT-ab12-SVC"],
      ["OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "FLT-ab12-NP"],
    ]);
  });

  it("puts each cluster IP on the Service interface once", () => {
    expect(serviceAddresses(services)).toEqual(["10.96.0.1", "10.96.0.20"]);
  });
});
