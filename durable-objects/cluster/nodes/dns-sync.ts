// What sync tells a node's DNS server: every namespace and Service of the cluster (CoreDNS watches all of
// them too, since a pod may ask for any name). Kept incrementally from the store's change feed, one entry
// per Service, and serialized once per version: a version is the revision of the last change that DNS can
// see, so equal versions are equal data, and a sync carries the data only when the agent's echo differs.
// Endpoints matter only for headless Services (a cluster IP answers for the others), so the readiness churn
// of ordinary Services' endpoints never bumps the version.
import type { ClusterDNSData, DNSEndpoint, DNSService, SyncServicePort } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { Change } from "../store/object-store.ts";
import type { ServiceSource } from "./services-sync.ts";

export interface DNSSource extends ServiceSource {
  readonly revision: number;
}

interface Port {
  name?: string;
  port?: number;
  protocol?: string;
}
interface Address {
  ip?: string;
  hostname?: string;
  targetRef?: { kind?: string; name?: string };
}

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;
const isHeadless = (svc: KubeObject) => svc.spec?.type !== "ExternalName" && svc.spec?.clusterIP === "None";

function ports(list: unknown): SyncServicePort[] {
  return ((Array.isArray(list) ? list : []) as Port[])
    .filter((p) => typeof p.port === "number")
    .map((p) => ({ name: p.name ?? "", port: p.port as number, protocol: p.protocol ?? "TCP" }));
}

/** Ready addresses of a headless Service's Endpoints, with the ports each serves. */
export function dnsEndpoints(endpoints: KubeObject | undefined): DNSEndpoint[] {
  const out: DNSEndpoint[] = [];
  const subsets = ((endpoints as { subsets?: unknown } | undefined)?.subsets ?? []) as {
    addresses?: Address[];
    ports?: Port[];
  }[];
  for (const subset of Array.isArray(subsets) ? subsets : [])
    for (const address of subset.addresses ?? []) {
      if (typeof address.ip !== "string" || !address.ip) continue;
      const entry: DNSEndpoint = { ip: address.ip, ports: ports(subset.ports) };
      if (address.hostname) entry.hostname = address.hostname;
      if (address.targetRef?.kind === "Pod" && address.targetRef.name) entry.podName = address.targetRef.name;
      out.push(entry);
    }
  return out;
}

/** One Service as DNS sees it (the endpoints only for headless ones). */
export function dnsService(svc: KubeObject, endpoints: KubeObject | undefined): DNSService {
  const spec = svc.spec ?? {};
  const type = typeof spec.type === "string" ? spec.type : "ClusterIP";
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const out: DNSService = {
    namespace: svc.metadata.namespace ?? "default",
    name: svc.metadata.name ?? "",
    type,
    clusterIPs: type === "ExternalName" ? [] : ips.filter((ip: unknown) => typeof ip === "string" && ip !== "None"),
    ports: ports(spec.ports),
  };
  if (type === "ExternalName" && typeof spec.externalName === "string") out.externalName = spec.externalName;
  if (isHeadless(svc)) out.endpoints = dnsEndpoints(endpoints);
  return out;
}

/** The DNS part of a sync request, read from its body beside the rest. */
export function parseDNSAsk(body: unknown): { want: boolean; version?: string } {
  const b = (typeof body === "object" && body !== null ? body : {}) as { wantDNS?: unknown; dnsVersion?: unknown };
  return { want: b.wantDNS === true, version: typeof b.dnsVersion === "string" ? b.dnsVersion : undefined };
}

export class ClusterDNSIndex {
  #services = new Map<string, DNSService>();
  #headless = new Set<string>();
  #namespaces = new Set<string>();
  #version: number;
  #built?: ClusterDNSData;

  constructor(
    private readonly store: DNSSource,
    /** Called after a change that DNS sees (the data's version moved). */
    private readonly changed: () => void = () => {},
  ) {
    for (const ns of store.list("namespaces")) this.#namespaces.add(ns.object.metadata.name ?? "");
    for (const { object } of store.list("services")) this.#refresh(object.metadata.namespace ?? "default", object);
    this.#version = store.revision;
  }

  get version(): string {
    return String(this.#version);
  }

  /** The data, or undefined when the agent already holds this version. */
  forAgent(heldVersion: string | undefined): ClusterDNSData | undefined {
    if (heldVersion === this.version) return undefined;
    this.#built ??= {
      version: this.version,
      namespaces: [...this.#namespaces].sort(),
      services: [...this.#services.values()],
    };
    return this.#built;
  }

  onChange(change: Change): void {
    const { resource, object, revision } = change.entry;
    const namespace = object.metadata.namespace ?? "default";
    const name = object.metadata.name ?? "";
    let seen = false;
    if (resource === "namespaces") {
      seen = change.type === "DELETED" ? this.#namespaces.delete(name) : !this.#namespaces.has(name);
      if (change.type !== "DELETED") this.#namespaces.add(name);
    } else if (resource === "services") {
      seen =
        change.type === "DELETED" ? this.#set(keyOf(namespace, name), undefined) : this.#refresh(namespace, object);
    } else if (resource === "endpoints" && this.#headless.has(keyOf(namespace, name))) {
      const svc = this.store.get("services", namespace, name)?.object;
      seen = this.#refresh(namespace, svc, change.type === "DELETED" ? undefined : object);
    }
    if (!seen) return;
    this.#version = revision;
    this.#built = undefined;
    this.changed();
  }

  /** Recomputes one Service's entry; true when what DNS answers from changed. */
  #refresh(namespace: string, svc: KubeObject | undefined, endpoints?: KubeObject): boolean {
    const name = svc?.metadata.name;
    if (!svc || !name) return false;
    const key = keyOf(namespace, name);
    return this.#set(key, dnsService(svc, endpoints ?? this.store.get("endpoints", namespace, name)?.object));
  }

  #set(key: string, entry: DNSService | undefined): boolean {
    const before = this.#services.get(key);
    if (JSON.stringify(before) === JSON.stringify(entry)) return false;
    if (entry) this.#services.set(key, entry);
    else this.#services.delete(key);
    if (entry?.endpoints) this.#headless.add(key);
    else this.#headless.delete(key);
    return true;
  }
}
