// A pod's hostname and /etc/hosts as the kubelet makes them (pkg/kubelet/kubelet_pods.go
// GeneratePodHostNameAndDomain, managedHostsFileContent, nodeHostsFileContent).
import type { Pod } from "../../kube/pod-types.ts";

const MAX_HOSTNAME = 63;

/**
 * The pod's hostname (spec.hostname, else its name, cut to 63 characters without a trailing - or .) and
 * domain (`<subdomain>.<ns>.svc.<cluster domain>` when spec.subdomain is set).
 */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  let hostname = pod.spec.hostname || pod.metadata.name || "pod";
  if (hostname.length > MAX_HOSTNAME) hostname = hostname.slice(0, MAX_HOSTNAME).replace(/[-.]+$/, "");
  const ns = pod.metadata.namespace ?? "default";
  const domain = pod.spec.subdomain ? `${pod.spec.subdomain}.${ns}.svc.${clusterDomain}` : "";
  return { hostname, domain };
}

/** What `hostname` prints: the FQDN with setHostnameAsFQDN and a subdomain, else the short name. */
export function podUTSName(pod: Pod, clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  return pod.spec.setHostnameAsFQDN && domain ? `${hostname}.${domain}` : hostname;
}

function hostAliasLines(pod: Pod): string {
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length === 0) return "";
  let out = "\n# Entries added by HostAliases.\n";
  for (const alias of aliases) out += `${alias.ip ?? ""}\t${(alias.hostnames ?? []).join("\t")}\n`;
  return out;
}

/** The kubelet-managed /etc/hosts of a pod on the pod network. */
export function managedHosts(pod: Pod, podIPs: string[], clusterDomain: string): string {
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  let out = "# Kubernetes-managed hosts file.\n";
  out += "127.0.0.1\tlocalhost\n";
  out += "::1\tlocalhost ip6-localhost ip6-loopback\n";
  out += "fe00::0\tip6-localnet\n";
  out += "fe00::0\tip6-mcastprefix\n";
  out += "fe00::1\tip6-allnodes\n";
  out += "fe00::2\tip6-allrouters\n";
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + hostAliasLines(pod);
}

/** A hostNetwork pod's /etc/hosts: the node's own, marked, with the pod's hostAliases. */
export function hostNetworkHosts(pod: Pod, nodeHosts: string): string {
  return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${hostAliasLines(pod)}`;
}
