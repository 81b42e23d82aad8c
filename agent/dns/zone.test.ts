// Golden answers of the cluster zone, after CoreDNS' plugin/kubernetes handler tests (handler_test.go,
// handler_pod_insecure_test.go, reverse_test.go): rcode, answer, and whether the SOA is in authority.
import type { Answer, RecordType } from "dns-packet";
import { describe, expect, it } from "vitest";
import type { ClusterDNSData } from "../../kube/agent-protocol.ts";
import { ClusterZone, RCODE } from "./zone.ts";

const data: ClusterDNSData = {
  version: "42",
  namespaces: ["default", "testns", "kube-system"],
  services: [
    {
      namespace: "default",
      name: "kubernetes",
      type: "ClusterIP",
      clusterIPs: ["10.96.0.1"],
      ports: [{ name: "https", port: 443, protocol: "TCP" }],
    },
    {
      namespace: "testns",
      name: "svc1",
      type: "ClusterIP",
      clusterIPs: ["10.96.0.20"],
      ports: [
        { name: "http", port: 80, protocol: "TCP" },
        { name: "dns", port: 53, protocol: "UDP" },
      ],
    },
    {
      namespace: "testns",
      name: "svc6",
      type: "ClusterIP",
      clusterIPs: ["fd00::6"],
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
    },
    {
      namespace: "testns",
      name: "hdls1",
      type: "ClusterIP",
      clusterIPs: [],
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
      endpoints: [
        { ip: "10.244.1.2", hostname: "db-0", podName: "db-0", ports: [{ name: "http", port: 80, protocol: "TCP" }] },
        { ip: "10.244.2.3", podName: "web-xyz", ports: [{ name: "http", port: 80, protocol: "TCP" }] },
      ],
    },
    { namespace: "testns", name: "empty", type: "ClusterIP", clusterIPs: [], ports: [], endpoints: [] },
    {
      namespace: "testns",
      name: "noports",
      type: "ClusterIP",
      clusterIPs: [],
      ports: [],
      endpoints: [{ ip: "10.244.3.4", ports: [] }],
    },
    { namespace: "testns", name: "ext", type: "ExternalName", clusterIPs: [], externalName: "Example.NET", ports: [] },
    {
      namespace: "testns",
      name: "alias",
      type: "ExternalName",
      clusterIPs: [],
      externalName: "svc1.testns.svc.cluster.local",
      ports: [],
    },
  ],
};

const zone = new ClusterZone(data, { nameserverIP: "10.244.0.1" });
const show = (a: Answer) =>
  `${a.name} ${a.type} ${typeof (a as { data?: unknown }).data === "object" ? JSON.stringify((a as { data: unknown }).data) : (a as { data: string }).data}`;
const ask = (name: string, type: RecordType) => {
  const got = zone.answer({ name, type });
  const rcode = Object.entries(RCODE).find(([, v]) => v === got.rcode)?.[0];
  return { rcode, answers: got.answers.map(show), soa: got.authorities.some((a) => a.type === "SOA") };
};

describe("cluster zone answers as CoreDNS' kubernetes plugin", () => {
  it.each<[string, RecordType, string, string[]]>([
    // Services with a cluster IP; names compare case-insensitively and answer with the asked spelling.
    ["svc1.testns.svc.cluster.local", "A", "NOERROR", ["svc1.testns.svc.cluster.local A 10.96.0.20"]],
    ["SVC1.TestNS.svc.cluster.local", "A", "NOERROR", ["SVC1.TestNS.svc.cluster.local A 10.96.0.20"]],
    ["kubernetes.default.svc.cluster.local", "A", "NOERROR", ["kubernetes.default.svc.cluster.local A 10.96.0.1"]],
    ["svc6.testns.svc.cluster.local", "AAAA", "NOERROR", ["svc6.testns.svc.cluster.local AAAA fd00::6"]],
    // The name exists, not with this type: NODATA.
    ["svc1.testns.svc.cluster.local", "AAAA", "NOERROR", []],
    ["svc1.testns.svc.cluster.local", "MX", "NOERROR", []],
    ["svc1.testns.svc.cluster.local", "TXT", "NOERROR", []],
    // No such service, namespace, endpoint; a service without ports; names too long or not svc/pod.
    ["nosvc.testns.svc.cluster.local", "A", "NXDOMAIN", []],
    ["svc1.nons.svc.cluster.local", "A", "NXDOMAIN", []],
    ["empty.testns.svc.cluster.local", "A", "NXDOMAIN", []],
    ["x.y.z.svc1.testns.svc.cluster.local", "A", "NXDOMAIN", []],
    ["svc1.testns.foo.cluster.local", "A", "NXDOMAIN", []],
    ["nosvc.testns.svc.cluster.local", "TXT", "NXDOMAIN", []],
    // Apex, svc., pod. and an existing namespace: NODATA.
    ["cluster.local", "A", "NOERROR", []],
    ["svc.cluster.local", "A", "NOERROR", []],
    ["testns.svc.cluster.local", "A", "NOERROR", []],
    ["testns.pod.cluster.local", "A", "NOERROR", []],
    ["nons.svc.cluster.local", "A", "NXDOMAIN", []],
    // Headless: each ready endpoint; its hostname or dashed address names one.
    [
      "hdls1.testns.svc.cluster.local",
      "A",
      "NOERROR",
      ["hdls1.testns.svc.cluster.local A 10.244.1.2", "hdls1.testns.svc.cluster.local A 10.244.2.3"],
    ],
    ["db-0.hdls1.testns.svc.cluster.local", "A", "NOERROR", ["db-0.hdls1.testns.svc.cluster.local A 10.244.1.2"]],
    [
      "10-244-2-3.hdls1.testns.svc.cluster.local",
      "A",
      "NOERROR",
      ["10-244-2-3.hdls1.testns.svc.cluster.local A 10.244.2.3"],
    ],
    ["db-9.hdls1.testns.svc.cluster.local", "A", "NXDOMAIN", []],
    ["noports.testns.svc.cluster.local", "A", "NOERROR", ["noports.testns.svc.cluster.local A 10.244.3.4"]],
    // SRV for named ports: cluster IP target, and one per endpoint for headless.
    [
      "_http._tcp.svc1.testns.svc.cluster.local",
      "SRV",
      "NOERROR",
      [
        `_http._tcp.svc1.testns.svc.cluster.local SRV {"priority":0,"weight":100,"port":80,"target":"svc1.testns.svc.cluster.local"}`,
      ],
    ],
    [
      "_dns._udp.svc1.testns.svc.cluster.local",
      "SRV",
      "NOERROR",
      [
        `_dns._udp.svc1.testns.svc.cluster.local SRV {"priority":0,"weight":100,"port":53,"target":"svc1.testns.svc.cluster.local"}`,
      ],
    ],
    ["_http._udp.svc1.testns.svc.cluster.local", "SRV", "NXDOMAIN", []],
    [
      "_http._tcp.hdls1.testns.svc.cluster.local",
      "SRV",
      "NOERROR",
      [
        `_http._tcp.hdls1.testns.svc.cluster.local SRV {"priority":0,"weight":50,"port":80,"target":"db-0.hdls1.testns.svc.cluster.local"}`,
        `_http._tcp.hdls1.testns.svc.cluster.local SRV {"priority":0,"weight":50,"port":80,"target":"10-244-2-3.hdls1.testns.svc.cluster.local"}`,
      ],
    ],
    ["noports.testns.svc.cluster.local", "SRV", "NOERROR", []],
    // ExternalName: a CNAME (followed inside the zone), never an endpoint, no SRV.
    ["ext.testns.svc.cluster.local", "CNAME", "NOERROR", ["ext.testns.svc.cluster.local CNAME example.net"]],
    ["ext.testns.svc.cluster.local", "A", "NOERROR", ["ext.testns.svc.cluster.local CNAME example.net"]],
    ["ext.testns.svc.cluster.local", "SRV", "NOERROR", []],
    ["x.ext.testns.svc.cluster.local", "A", "NXDOMAIN", []],
    [
      "alias.testns.svc.cluster.local",
      "A",
      "NOERROR",
      [
        "alias.testns.svc.cluster.local CNAME svc1.testns.svc.cluster.local",
        "svc1.testns.svc.cluster.local A 10.96.0.20",
      ],
    ],
    // Pods, `pods insecure`: any address in an existing namespace.
    ["10-244-1-5.testns.pod.cluster.local", "A", "NOERROR", ["10-244-1-5.testns.pod.cluster.local A 10.244.1.5"]],
    ["fd00--5.testns.pod.cluster.local", "AAAA", "NOERROR", ["fd00--5.testns.pod.cluster.local AAAA fd00::5"]],
    ["10-244-1-5.testns.pod.cluster.local", "AAAA", "NOERROR", []],
    ["10-244-1-5.nons.pod.cluster.local", "A", "NXDOMAIN", []],
    ["not-an-ip.testns.pod.cluster.local", "A", "NXDOMAIN", []],
    // The server itself and the schema version.
    ["ns.dns.cluster.local", "A", "NOERROR", ["ns.dns.cluster.local A 10.244.0.1"]],
    ["dns-version.cluster.local", "TXT", "NOERROR", ["dns-version.cluster.local TXT 1.1.0"]],
    ["cluster.local", "NS", "NOERROR", ["cluster.local NS ns.dns.cluster.local"]],
    // Reverse: cluster IPs and headless endpoints.
    ["20.0.96.10.in-addr.arpa", "PTR", "NOERROR", ["20.0.96.10.in-addr.arpa PTR svc1.testns.svc.cluster.local"]],
    ["2.1.244.10.in-addr.arpa", "PTR", "NOERROR", ["2.1.244.10.in-addr.arpa PTR db-0.hdls1.testns.svc.cluster.local"]],
  ])("%s %s → %s %j", (name, type, rcode, answers) => {
    const got = ask(name, type);
    expect(got.rcode).toBe(rcode);
    expect(got.answers).toEqual(answers);
    // Negative answers carry the zone's SOA (with the TTL as minimum) so resolvers can cache them.
    expect(got.soa).toBe(answers.length === 0);
  });

  it("answers SOA for the zone anywhere in it", () => {
    const got = zone.answer({ name: "svc1.testns.svc.cluster.local", type: "SOA" });
    expect(got.answers[0]).toMatchObject({
      name: "cluster.local",
      type: "SOA",
      ttl: 30,
      data: { mname: "ns.dns.cluster.local", rname: "hostmaster.cluster.local", serial: 42, minimum: 30 },
    });
  });

  it("puts SRV targets' addresses in the additional section", () => {
    const got = zone.answer({ name: "_http._tcp.hdls1.testns.svc.cluster.local", type: "SRV" });
    expect(got.additionals.map(show)).toEqual([
      "db-0.hdls1.testns.svc.cluster.local A 10.244.1.2",
      "10-244-2-3.hdls1.testns.svc.cluster.local A 10.244.2.3",
    ]);
  });

  it("owns the cluster zone and its own reverse names; everything else goes to the forwarder", () => {
    expect(zone.owns({ name: "web.default.svc.cluster.local", type: "A" })).toBe(true);
    expect(zone.owns({ name: "20.0.96.10.in-addr.arpa", type: "PTR" })).toBe(true);
    expect(zone.owns({ name: "1.2.0.192.in-addr.arpa", type: "PTR" })).toBe(false);
    expect(zone.owns({ name: "example.invalid", type: "A" })).toBe(false);
    expect(zone.owns({ name: "cluster.local.example.com", type: "A" })).toBe(false);
  });

  it("answers SERVFAIL before it has the cluster's data (CoreDNS before its informers synced)", () => {
    expect(new ClusterZone(undefined).answer({ name: "svc1.testns.svc.cluster.local", type: "A" }).rcode).toBe(
      RCODE.SERVFAIL,
    );
  });
});
