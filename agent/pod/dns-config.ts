// A pod's resolv.conf as the kubelet composes it (pkg/kubelet/network/dns/dns.go GetPodDNS): by dnsPolicy
// — ClusterFirst: the cluster DNS, `<ns>.svc.<domain> svc.<domain> <domain>` before the host's search
// domains, `ndots:5`; Default: the host's; None: nothing — then spec.dnsConfig appended (duplicates
// omitted, options merged by name), then cut to the limits (3 nameservers; 32 search paths, none over 253
// characters, 2048 in all) with upstream's DNSConfigForming warnings. hostNetwork pods take Default for
// ClusterFirst unless ClusterFirstWithHostNet; without a cluster DNS ClusterFirst falls back to Default.
import type { Pod } from "../../kube/pod-types.ts";
import type { ResolvConf } from "../dns/resolv-conf.ts";

const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;
const MAX_DOMAIN_LENGTH = 253;
const DEFAULT_OPTIONS = ["ndots:5"];

export interface PodDNSInput {
  pod: Pod;
  /** The node's cluster DNS address; absent when the node serves none. */
  clusterDNS?: string;
  clusterDomain: string;
  host: ResolvConf;
}

export interface PodDNSWarning {
  reason: string;
  message: string;
}

type DNSType = "cluster" | "host" | "none";

function dnsType(pod: Pod): DNSType {
  switch (pod.spec.dnsPolicy ?? "ClusterFirst") {
    case "None":
      return "none";
    case "ClusterFirstWithHostNet":
      return "cluster";
    case "Default":
      return "host";
    default:
      return pod.spec.hostNetwork ? "host" : "cluster";
  }
}

const omitDuplicates = (list: string[]) => [...new Set(list)];

/** mergeDNSOptions: later values of a name replace earlier ones; the name keeps its first place. */
function mergeOptions(existing: string[], added: { name?: string; value?: string }[]): string[] {
  const options = new Map<string, string>();
  for (const op of existing) {
    const at = op.indexOf(":");
    if (at === -1) options.set(op, "");
    else options.set(op.slice(0, at), op.slice(at + 1));
  }
  for (const op of added) if (op.name) options.set(op.name, op.value ?? "");
  return [...options].map(([name, value]) => (value ? `${name}:${value}` : name));
}

function fitSearches(searches: string[], warnings: PodDNSWarning[]): string[] {
  let exceeded = searches.length > MAX_SEARCH_PATHS;
  let out = searches.slice(0, MAX_SEARCH_PATHS).filter((s) => {
    if (s.length <= MAX_DOMAIN_LENGTH) return true;
    exceeded = true;
    return false;
  });
  while (out.join(" ").length > MAX_SEARCH_CHARS) {
    out = out.slice(0, -1);
    exceeded = true;
  }
  if (exceeded)
    warnings.push({
      reason: "DNSConfigForming",
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(" ")}`,
    });
  return out;
}

export function podDNSConfig(input: PodDNSInput): { conf: ResolvConf; warnings: PodDNSWarning[] } {
  const { pod, clusterDNS, clusterDomain, host } = input;
  const warnings: PodDNSWarning[] = [];
  let conf: ResolvConf = {
    nameservers: [...host.nameservers],
    searches: [...host.searches],
    options: [...host.options],
  };
  const type = dnsType(pod);
  if (type === "none") conf = { nameservers: [], searches: [], options: [] };
  else if (type === "cluster" && clusterDNS) {
    const ns = pod.metadata.namespace ?? "default";
    conf = {
      nameservers: [clusterDNS],
      searches: omitDuplicates([`${ns}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain, ...host.searches]),
      options: [...DEFAULT_OPTIONS],
    };
  } else if (type === "cluster")
    warnings.push({
      reason: "MissingClusterDNS",
      message: `pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
    });
  const extra = pod.spec.dnsConfig;
  if (extra) {
    conf.nameservers = omitDuplicates([...conf.nameservers, ...(extra.nameservers ?? [])]);
    conf.searches = omitDuplicates([...conf.searches, ...(extra.searches ?? [])]);
    conf.options = mergeOptions(conf.options, extra.options ?? []);
  }
  if (conf.nameservers.length > MAX_NAMESERVERS) {
    conf.nameservers = conf.nameservers.slice(0, MAX_NAMESERVERS);
    warnings.push({
      reason: "DNSConfigForming",
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${conf.nameservers.join(" ")}`,
    });
  }
  conf.searches = fitSearches(conf.searches, warnings);
  return { conf, warnings };
}
