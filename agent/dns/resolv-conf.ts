// resolv.conf read as the kubelet reads the host's (pkg/kubelet/network/dns/dns.go parseResolvConf) and
// written as the container runtime writes a pod's (search, nameservers, options). The host's file is the
// one the kubelet would be given: /etc/resolv.conf, or systemd-resolved's real list when /etc/resolv.conf
// only names its loopback stub (kubeadm points the kubelet there, as a stub is unreachable from a pod).
import { readFile } from "node:fs/promises";
import net from "node:net";

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export const HOST_RESOLV_CONF = "/etc/resolv.conf";
const SYSTEMD_RESOLV_CONF = "/run/systemd/resolve/resolv.conf";

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [key, ...fields] = line.split(/\s+/);
    if (key === "nameserver" && fields[0]) out.nameservers.push(fields[0]);
    // The last search line wins; "." means no search domain.
    else if (key === "search") out.searches = fields.filter((f) => f !== ".").map((f) => f.replace(/\.$/, ""));
    else if (key === "options") out.options.push(...fields);
  }
  return out;
}

export function renderResolvConf(conf: ResolvConf): string {
  let out = "";
  if (conf.searches.length > 0) out += `search ${conf.searches.join(" ")}\n`;
  for (const server of conf.nameservers) out += `nameserver ${server}\n`;
  if (conf.options.length > 0) out += `options ${conf.options.join(" ")}\n`;
  return out;
}

const isLoopback = (ip: string) => ip.startsWith("127.") || ip === "::1";

/** The host's resolver configuration (empty when the file cannot be read). */
export async function readHostResolvConf(path = HOST_RESOLV_CONF): Promise<ResolvConf> {
  const conf = parseResolvConf(await readFile(path, "utf8").catch(() => ""));
  if (path === HOST_RESOLV_CONF && conf.nameservers.length > 0 && conf.nameservers.every(isLoopback)) {
    const real = parseResolvConf(await readFile(SYSTEMD_RESOLV_CONF, "utf8").catch(() => ""));
    if (real.nameservers.length > 0) return real;
  }
  return conf;
}

/** Upstreams for the forwarder: the host's nameservers, less the cluster DNS address itself (a loop). */
export function upstreamsOf(conf: ResolvConf, self: string[]): { host: string; port: number }[] {
  return conf.nameservers
    .map((s) => s.replace(/%.*$/, ""))
    .filter((s) => net.isIP(s) && !self.includes(s))
    .map((host) => ({ host, port: 53 }));
}
