// The cluster zone as CoreDNS' kubernetes plugin answers it (plugin/kubernetes: kubernetes.go findServices
// and findPods, handler.go, plugin/backend_lookup.go), with kubeadm's Corefile settings: `pods insecure`,
// `ttl 30`, reverse zones with fallthrough. Name errors (no such Service, namespace, endpoint; a name too
// long) are NXDOMAIN; a name that exists without records of the asked type is NODATA (NOERROR, SOA in
// authority). Answers come only from this cluster's data; before the first sync the zone answers SERVFAIL.
import net from "node:net";
import type { Answer, Question } from "dns-packet";
import type { ClusterDNSData, DNSService } from "../../kube/agent-protocol.ts";
import {
  canonical,
  endpointHostname,
  inZone,
  isReverse,
  normalizeIP,
  podLabelIP,
  type RecordRequest,
  parseRequest,
  reverseIP,
} from "./names.ts";

export const CLUSTER_DOMAIN = "cluster.local";
/** kubeadm's Corefile: `ttl 30`. */
export const DEFAULT_TTL = 30;
/** CoreDNS' DNSSchemaVersion, served as TXT at dns-version.<zone>. */
const DNS_SCHEMA_VERSION = "1.1.0";

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface ZoneAnswer {
  rcode: number;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

/** One record source (msg.Service): an address or a name (CNAME), the port, and the name it lives at. */
interface Item {
  host: string;
  port: number;
  /** The target name for SRV: svc.ns.svc.zone or endpoint.svc.ns.svc.zone. */
  target: string;
}

type Found = { error: "nxdomain" } | { items: Item[] };
const NX: Found = { error: "nxdomain" };

const matchPort = (reqPort: string, port: string, reqProto: string, proto: string) =>
  (reqPort === "" || reqPort === port.toLowerCase()) && (reqProto === "" || reqProto === proto.toLowerCase());

export interface ZoneOptions {
  zone?: string;
  ttl?: number;
  /** The DNS server's own address: ns.dns.<zone> answers it. */
  nameserverIP?: string;
}

export class ClusterZone {
  readonly zone: string;
  readonly ttl: number;
  #services = new Map<string, DNSService>();
  #namespaces = new Set<string>();
  #ptr = new Map<string, string>();
  #serial: number;

  constructor(
    private readonly data: ClusterDNSData | undefined,
    private readonly options: ZoneOptions = {},
  ) {
    this.zone = canonical(options.zone ?? CLUSTER_DOMAIN);
    this.ttl = options.ttl ?? DEFAULT_TTL;
    this.#serial = Number(data?.version ?? 0) % 2 ** 32 || 1;
    for (const ns of data?.namespaces ?? []) this.#namespaces.add(ns.toLowerCase());
    for (const svc of data?.services ?? []) {
      const key = `${svc.namespace}/${svc.name}`.toLowerCase();
      this.#services.set(key, svc);
      const svcName = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
      for (const ip of svc.clusterIPs) this.#addPtr(ip, svcName);
      for (const ep of svc.endpoints ?? []) this.#addPtr(ep.ip, `${endpointHostname(ep)}.${svcName}`);
    }
  }

  /** Whether a question is this zone's to answer (else it is forwarded). */
  owns(q: Question): boolean {
    if (inZone(q.name, this.zone)) return true;
    // Reverse names fall through to the forwarder unless they are a cluster address (`fallthrough in-addr.arpa`).
    return isReverse(q.name) && this.data !== undefined && this.#ptrOf(q.name) !== undefined;
  }

  answer(q: Question): ZoneAnswer {
    const out: ZoneAnswer = { rcode: RCODE.NOERROR, answers: [], authorities: [], additionals: [] };
    if (!this.data) return { ...out, rcode: RCODE.SERVFAIL };
    if (isReverse(q.name)) {
      const target = this.#ptrOf(q.name);
      if (q.type === "PTR" && target) out.answers.push(this.#rr(q.name, "PTR", target));
      return this.#finish(out, q);
    }
    const name = canonical(q.name);
    if (q.type === "SOA") {
      out.answers.push(this.#soa());
      return out;
    }
    if (q.type === "NS" && name === this.zone) {
      out.answers.push(this.#rr(q.name, "NS", `ns.dns.${this.zone}`));
      if (this.options.nameserverIP)
        out.additionals.push(this.#address(`ns.dns.${this.zone}`, this.options.nameserverIP));
      return out;
    }
    if (name === `ns.dns.${this.zone}` && this.options.nameserverIP) {
      const family = net.isIPv6(this.options.nameserverIP) ? "AAAA" : "A";
      if (q.type === family) out.answers.push(this.#address(q.name, this.options.nameserverIP));
      return this.#finish(out, q);
    }
    if (q.type === "TXT") {
      if (name === `dns-version.${this.zone}`) {
        out.answers.push({ name: q.name, type: "TXT", class: "IN", ttl: 28800, data: DNS_SCHEMA_VERSION });
        return out;
      }
      return this.#finish(out, q, this.records(name));
    }
    const found = this.records(name);
    if ("error" in found) return this.#finish(out, q, found);
    if (q.type === "A" || q.type === "AAAA") this.#addresses(out, q, found.items);
    else if (q.type === "CNAME") {
      for (const item of found.items) if (!net.isIP(item.host)) out.answers.push(this.#rr(q.name, "CNAME", item.host));
    } else if (q.type === "SRV") this.#srv(out, q, found.items);
    return this.#finish(out, q, found);
  }

  /** The records a name has, of any type (Records in kubernetes.go). */
  records(name: string): Found {
    const r = parseRequest(name, this.zone);
    if (!r) return NX;
    if (r.podOrSvc === "") return { items: [] };
    if (!this.#namespaces.has(r.namespace)) return NX;
    if (r.podOrSvc === "pod") return this.#pods(r);
    return this.#findServices(r);
  }

  #pods(r: RecordRequest): Found {
    if (r.service === "") return { items: [] };
    const ip = podLabelIP(r.service);
    if (!ip) return NX;
    return { items: [{ host: ip, port: 0, target: `${r.service}.${r.namespace}.pod.${this.zone}` }] };
  }

  #findServices(r: RecordRequest): Found {
    if (r.service === "") return { items: [] };
    const svc = this.#services.get(`${r.namespace}/${r.service}`);
    if (!svc) return NX;
    const svcName = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
    if (svc.type === "ExternalName") {
      // An ExternalName that is an address is no CNAME: CoreDNS has nothing to answer for it.
      if (r.endpoint || !svc.externalName || net.isIP(svc.externalName)) return NX;
      return { items: [{ host: canonical(svc.externalName), port: 0, target: svcName }] };
    }
    const items: Item[] = [];
    if (svc.endpoints || r.endpoint) {
      for (const ep of svc.endpoints ?? []) {
        const host = endpointHostname(ep);
        if (r.endpoint && r.endpoint !== host.toLowerCase()) continue;
        // An address without ports still answers A (CoreDNS' port -1 sentinel), never SRV.
        const ports = ep.ports.length > 0 ? ep.ports : [{ name: "", port: -1, protocol: "" }];
        for (const p of ports)
          if (matchPort(r.port, p.name, r.protocol, p.protocol))
            items.push({ host: ep.ip, port: p.port, target: `${host}.${svcName}` });
      }
      return items.length > 0 ? { items } : NX;
    }
    for (const p of svc.ports)
      if (matchPort(r.port, p.name, r.protocol, p.protocol))
        for (const ip of svc.clusterIPs) items.push({ host: ip, port: p.port, target: svcName });
    return items.length > 0 ? { items } : NX;
  }

  #addresses(out: ZoneAnswer, q: Question, items: Item[], depth = 0): void {
    const family = q.type === "AAAA" ? 6 : 4;
    for (const item of items) {
      if (net.isIP(item.host) === family) out.answers.push(this.#address(q.name, item.host));
      else if (!net.isIP(item.host)) {
        out.answers.push(this.#rr(q.name, "CNAME", item.host));
        // A target inside the zone is followed here; one outside is left to the forwarder (see message.ts).
        const next = inZone(item.host, this.zone) && depth < 8 ? this.records(item.host) : undefined;
        if (next && "items" in next) this.#addresses(out, { ...q, name: item.host }, next.items, depth + 1);
      }
    }
  }

  /** SRV as plugin.SRV: priority 0, weight 100/n, the target's address in additionals. */
  #srv(out: ZoneAnswer, q: Question, items: Item[]): void {
    const usable = items.filter((i) => net.isIP(i.host) && i.port >= 0);
    const weight = Math.max(1, Math.floor(100 / Math.max(1, items.length)));
    for (const item of usable) {
      out.answers.push({
        name: q.name,
        type: "SRV",
        class: "IN",
        ttl: this.ttl,
        data: { priority: 0, weight, port: item.port, target: item.target },
      });
      out.additionals.push(this.#address(item.target, item.host));
    }
  }

  /** Deduplicates, and turns "no records" into NXDOMAIN or NODATA with the zone's SOA. */
  #finish(out: ZoneAnswer, q: Question, found?: Found): ZoneAnswer {
    const seen = new Set<string>();
    for (const list of [out.answers, out.additionals]) {
      const kept = list.filter((rr) => {
        const key = JSON.stringify([canonical(rr.name), rr.type, "data" in rr ? rr.data : ""]);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      list.splice(0, list.length, ...kept);
    }
    if (out.answers.length > 0) return out;
    if (found && "error" in found) out.rcode = RCODE.NXDOMAIN;
    else if (isReverse(q.name) && !this.#ptrOf(q.name)) out.rcode = RCODE.NXDOMAIN;
    out.authorities.push(this.#soa());
    return out;
  }

  #soa(): Answer {
    return {
      name: this.zone,
      type: "SOA",
      class: "IN",
      ttl: this.ttl,
      data: {
        mname: `ns.dns.${this.zone}`,
        rname: `hostmaster.${this.zone}`,
        serial: this.#serial,
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: this.ttl,
      },
    };
  }

  #address(name: string, ip: string): Answer {
    return this.#rr(name, net.isIPv6(ip) ? "AAAA" : "A", ip);
  }

  #rr(name: string, type: "A" | "AAAA" | "CNAME" | "PTR" | "NS", data: string): Answer {
    return { name, type, class: "IN", ttl: this.ttl, data };
  }

  #addPtr(ip: string, name: string): void {
    const normal = normalizeIP(ip);
    if (normal && !this.#ptr.has(normal)) this.#ptr.set(normal, name);
  }

  #ptrOf(name: string): string | undefined {
    const ip = reverseIP(name);
    return ip ? this.#ptr.get(ip) : undefined;
  }
}
