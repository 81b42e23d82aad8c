// resolv.conf and /etc/hosts for pods, against the cases of upstream's pkg/kubelet/network/dns/dns_test.go
// (TestGetPodDNSType, TestGetPodDNS, TestGetPodDNSCustom, TestMergeDNSOptions, TestFormDNSSearchFitsLimits)
// and kubelet_pods_test.go (TestManagedHostsFileContent, TestNodeHostsFileContent).
import { describe, expect, it } from "vitest";
import type { Pod, PodSpec } from "../../kube/pod-types.ts";
import { parseResolvConf, renderResolvConf } from "../dns/resolv-conf.ts";
import { podDNSConfig } from "./dns-config.ts";
import { hostNetworkHosts, managedHosts, podHostnameAndDomain, podUTSName } from "./hosts.ts";

const pod = (spec: Partial<PodSpec> = {}, name = "web-0", namespace = "shop"): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, uid: "u1" },
  spec: { containers: [{ name: "c" }], ...spec },
});

const host = parseResolvConf(
  "# host\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example lab.example.\noptions timeout:2 rotate\n",
);
const render = (spec: Partial<PodSpec>, clusterDNS: string | undefined = "10.244.0.1") =>
  renderResolvConf(podDNSConfig({ pod: pod(spec), clusterDNS, clusterDomain: "cluster.local", host }).conf);

describe("pod resolv.conf by dnsPolicy", () => {
  it("ClusterFirst (the default): the node's DNS, the cluster search path before the host's, ndots:5", () => {
    expect(render({})).toBe(
      "search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\n" +
        "nameserver 10.244.0.1\noptions ndots:5\n",
    );
  });

  it("Default: the host's resolver configuration", () => {
    expect(render({ dnsPolicy: "Default" })).toBe(
      "search corp.example lab.example\nnameserver 192.0.2.53\nnameserver 192.0.2.54\noptions timeout:2 rotate\n",
    );
  });

  it("hostNetwork: ClusterFirst falls back to Default, ClusterFirstWithHostNet keeps the cluster DNS", () => {
    expect(render({ hostNetwork: true })).toBe(render({ dnsPolicy: "Default" }));
    expect(render({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" })).toBe(render({}));
  });

  it("None: only spec.dnsConfig", () => {
    expect(render({ dnsPolicy: "None" })).toBe("");
    expect(
      render({
        dnsPolicy: "None",
        dnsConfig: {
          nameservers: ["203.0.113.1"],
          searches: ["my.dns.search.suffix"],
          options: [{ name: "ndots", value: "2" }, { name: "edns0" }],
        },
      }),
    ).toBe("search my.dns.search.suffix\nnameserver 203.0.113.1\noptions ndots:2 edns0\n");
  });

  it("dnsConfig is appended without duplicates, options merged by name", () => {
    expect(
      render({
        dnsConfig: {
          nameservers: ["10.244.0.1", "203.0.113.1"],
          searches: ["svc.cluster.local", "extra.example"],
          options: [{ name: "ndots", value: "1" }, { name: "single-request-reopen" }],
        },
      }),
    ).toBe(
      "search shop.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example extra.example\n" +
        "nameserver 10.244.0.1\nnameserver 203.0.113.1\noptions ndots:1 single-request-reopen\n",
    );
  });

  it("without a cluster DNS ClusterFirst falls back to Default, with upstream's MissingClusterDNS warning", () => {
    const { conf, warnings } = podDNSConfig({ pod: pod({}), clusterDomain: "cluster.local", host });
    expect(conf.nameservers).toEqual(host.nameservers);
    expect(warnings).toEqual([
      {
        reason: "MissingClusterDNS",
        message:
          'pod: "web-0_shop(u1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      },
    ]);
  });

  it("cuts nameservers to 3 and the search line to upstream's limits, saying so", () => {
    const long = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const { conf, warnings } = podDNSConfig({
      pod: pod({
        dnsPolicy: "None",
        dnsConfig: { nameservers: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"], searches: [...long, "x".repeat(254)] },
      }),
      clusterDomain: "cluster.local",
      host,
    });
    expect(conf.nameservers).toEqual(["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
    expect(conf.searches).toEqual(long.slice(0, 32));
    expect(warnings.map((w) => w.message)).toEqual([
      "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3",
      `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${long.slice(0, 32).join(" ")}`,
    ]);
    const chars = podDNSConfig({
      pod: pod({
        dnsPolicy: "None",
        dnsConfig: { searches: Array.from({ length: 10 }, (_, i) => `${i}${"a".repeat(249)}`) },
      }),
      clusterDomain: "cluster.local",
      host,
    }).conf.searches;
    expect(chars).toHaveLength(8);
  });
});

describe("pod hostname and /etc/hosts", () => {
  it("hostname is the pod name or spec.hostname, cut to 63; subdomain gives the domain", () => {
    expect(podHostnameAndDomain(pod(), "cluster.local")).toEqual({ hostname: "web-0", domain: "" });
    expect(podHostnameAndDomain(pod({ hostname: "db-0", subdomain: "db" }), "cluster.local")).toEqual({
      hostname: "db-0",
      domain: "db.shop.svc.cluster.local",
    });
    expect(podHostnameAndDomain(pod({}, `${"a".repeat(62)}-bcd`), "cluster.local").hostname).toBe("a".repeat(62));
    expect(podUTSName(pod({ hostname: "db-0", subdomain: "db", setHostnameAsFQDN: true }), "cluster.local")).toBe(
      "db-0.db.shop.svc.cluster.local",
    );
    expect(podUTSName(pod({ hostname: "db-0", setHostnameAsFQDN: true }), "cluster.local")).toBe("db-0");
  });

  it("writes upstream's managed hosts file: localhost lines, the pod's entry, then hostAliases", () => {
    expect(managedHosts(pod(), ["10.244.1.5"], "cluster.local")).toBe(
      "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
        "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n" +
        "10.244.1.5\tweb-0\n",
    );
    const withDomain = managedHosts(
      pod({
        hostname: "db-0",
        subdomain: "db",
        hostAliases: [
          { ip: "123.45.67.89", hostnames: ["foo", "bar", "baz"] },
          { ip: "456.78.90.123", hostnames: ["park", "doo", "boo"] },
        ],
      }),
      ["10.244.1.5"],
      "cluster.local",
    );
    expect(withDomain.split("\n").slice(7)).toEqual([
      "10.244.1.5\tdb-0.db.shop.svc.cluster.local\tdb-0",
      "",
      "# Entries added by HostAliases.",
      "123.45.67.89\tfoo\tbar\tbaz",
      "456.78.90.123\tpark\tdoo\tboo",
      "",
    ]);
  });

  it("gives hostNetwork pods the node's hosts file, marked, with their aliases", () => {
    expect(
      hostNetworkHosts(pod({ hostAliases: [{ ip: "1.2.3.4", hostnames: ["a"] }] }), "127.0.0.1\tlocalhost\n"),
    ).toBe(
      "# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n\n# Entries added by HostAliases.\n1.2.3.4\ta\n",
    );
  });
});
