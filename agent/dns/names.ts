// Reading a name under the cluster zone as CoreDNS' kubernetes plugin does (plugin/kubernetes/parse.go):
//   _port._protocol.service.namespace.svc.zone · endpoint.service.namespace.svc.zone ·
//   service.namespace.svc.zone · ip-with-dashes.namespace.pod.zone
// and the reverse names (in-addr.arpa, ip6.arpa) of addresses.
import net from "node:net";

export interface RecordRequest {
  /** "" for the apex, svc. or pod. (answered NODATA). */
  podOrSvc: "" | "svc" | "pod";
  namespace: string;
  service: string;
  endpoint: string;
  port: string;
  protocol: string;
}

/** Lower case, no trailing dot: names compare case-insensitively (CoreDNS' match is EqualFold). */
export const canonical = (name: string) => name.toLowerCase().replace(/\.$/, "");

export function inZone(name: string, zone: string): boolean {
  const n = canonical(name);
  return n === zone || n.endsWith(`.${zone}`);
}

/** The request a name in the zone makes; undefined for one that cannot be answered (NXDOMAIN). */
export function parseRequest(name: string, zone: string): RecordRequest | undefined {
  const n = canonical(name);
  const base = n === zone ? "" : n.slice(0, -(zone.length + 1));
  const empty: RecordRequest = { podOrSvc: "", namespace: "", service: "", endpoint: "", port: "", protocol: "" };
  if (base === "" || base === "svc" || base === "pod") return empty;
  const segs = base.split(".");
  const kind = segs.pop();
  if (kind !== "svc" && kind !== "pod") return undefined;
  const r: RecordRequest = { ...empty, podOrSvc: kind, namespace: segs.pop() ?? "" };
  r.service = segs.pop() ?? "";
  if (segs.length === 1) r.endpoint = segs[0];
  else if (segs.length === 2) {
    r.port = stripUnderscore(segs[0]);
    r.protocol = stripUnderscore(segs[1]);
  } else if (segs.length > 2) return undefined;
  return r;
}

const stripUnderscore = (s: string) => (s.startsWith("_") ? s.slice(1) : s);

/** The name an endpoint answers to under its Service: its hostname, else its address with dashes. */
export function endpointHostname(endpoint: { ip: string; hostname?: string }): string {
  if (endpoint.hostname) return endpoint.hostname;
  return endpoint.ip.replace(/[.:]/g, "-");
}

/** `10-244-1-5` → `10.244.1.5` (and dashed IPv6), as CoreDNS reads pod names; undefined if not an address. */
export function podLabelIP(label: string): string | undefined {
  const ip =
    label.split("-").length === 4 && !label.includes("--") ? label.replaceAll("-", ".") : label.replaceAll("-", ":");
  return net.isIP(ip) ? ip : undefined;
}

/** The address a reverse name stands for (a.b.c.d.in-addr.arpa, nibbles.ip6.arpa), when it is a whole one. */
export function reverseIP(name: string): string | undefined {
  const n = canonical(name);
  if (n.endsWith(".in-addr.arpa")) {
    const parts = n.slice(0, -".in-addr.arpa".length).split(".");
    if (parts.length !== 4) return undefined;
    const ip = parts.reverse().join(".");
    return net.isIPv4(ip) ? ip : undefined;
  }
  if (n.endsWith(".ip6.arpa")) {
    const nibbles = n.slice(0, -".ip6.arpa".length).split(".");
    if (nibbles.length !== 32 || nibbles.some((x) => !/^[0-9a-f]$/.test(x))) return undefined;
    const hex = nibbles.reverse().join("");
    return normalizeIP(hex.match(/.{4}/g)?.join(":") ?? "");
  }
  return undefined;
}

export const isReverse = (name: string) => /\.(in-addr|ip6)\.arpa$/.test(canonical(name));

/** One spelling per address, so reverse look-ups match however the address was written. */
export function normalizeIP(ip: string): string | undefined {
  if (net.isIPv4(ip)) return ip;
  if (!net.isIPv6(ip)) return undefined;
  const url = new URL(`http://[${ip}]/`);
  return url.hostname.slice(1, -1);
}
