// What sync tells a node about Services: those of the namespaces its pods run in (and `kubernetes` in
// default, which every pod learns about), each with its ready Endpoints addresses. Only those namespaces,
// so a node never learns another tenant namespace's topology and the response stays small.
import type { NodeCIDR, SyncEndpoint, SyncService, SyncServicePort } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";

export interface ServiceSource {
  list(resource: string, namespace?: string): readonly { object: KubeObject }[];
  get(resource: string, namespace: string | undefined, name: string): { object: KubeObject } | undefined;
}

interface Address {
  ip?: string;
  nodeName?: string;
}
interface Subset {
  addresses?: Address[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

/** IsServiceIPSet: services with a cluster IP (not headless, not ExternalName). */
const hasClusterIP = (svc: KubeObject) => {
  const ip = svc.spec?.clusterIP as string | undefined;
  return Boolean(ip) && ip !== "None";
};

function portsOf(svc: KubeObject): SyncServicePort[] {
  const ports = (svc.spec?.ports ?? []) as { name?: string; port?: number; protocol?: string; nodePort?: number }[];
  return ports
    .filter((p) => typeof p.port === "number")
    .map((p) => ({
      name: p.name ?? "",
      port: p.port as number,
      protocol: p.protocol ?? "TCP",
      ...(typeof p.nodePort === "number" && p.nodePort > 0 ? { nodePort: p.nodePort } : {}),
    }));
}

/** What the agent needs to serve the Service at its own address: cluster IP, type and affinity. */
function addressingOf(
  svc: KubeObject,
): Pick<SyncService, "clusterIP" | "type" | "sessionAffinity" | "affinitySeconds"> {
  const spec = svc.spec ?? {};
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  return {
    clusterIP: spec.clusterIP as string,
    type: (spec.type as string | undefined) ?? "ClusterIP",
    ...(spec.sessionAffinity === "ClientIP"
      ? { sessionAffinity: "ClientIP", affinitySeconds: typeof timeout === "number" ? timeout : 10800 }
      : {}),
  };
}

/** Ready addresses, one entry per address with the target port of each service port name it serves. */
export function readyEndpoints(endpoints: KubeObject | undefined): SyncEndpoint[] {
  const byAddress = new Map<string, SyncEndpoint>();
  for (const subset of ((endpoints as { subsets?: Subset[] } | undefined)?.subsets ?? []) as Subset[]) {
    for (const address of subset.addresses ?? []) {
      if (!address.ip) continue;
      const key = `${address.ip}/${address.nodeName ?? ""}`;
      const entry = byAddress.get(key) ?? { ip: address.ip, nodeName: address.nodeName, ports: {} };
      for (const p of subset.ports ?? [])
        if (typeof p.port === "number" && (p.protocol ?? "TCP") === "TCP") entry.ports[p.name ?? ""] = p.port;
      byAddress.set(key, entry);
    }
  }
  return [...byAddress.values()].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** The services a node with pods in these namespaces needs, sorted by namespace and name. */
export function servicesForNode(store: ServiceSource, namespaces: ReadonlySet<string>): SyncService[] {
  if (namespaces.size === 0) return [];
  const out: SyncService[] = [];
  const add = (svc: KubeObject) => {
    if (!hasClusterIP(svc)) return;
    const namespace = svc.metadata.namespace ?? "default";
    const name = svc.metadata.name ?? "";
    const endpoints = readyEndpoints(store.get("endpoints", namespace, name)?.object);
    out.push({ namespace, name, ports: portsOf(svc), endpoints, ...addressingOf(svc) });
  };
  for (const namespace of [...namespaces].sort())
    for (const entry of store.list("services", namespace)) add(entry.object);
  if (!namespaces.has("default")) {
    const master = store.get("services", "default", "kubernetes");
    if (master) add(master.object);
  }
  return out;
}

/** Every node's pod CIDR, sorted by node name (nodes without one yet are left out). */
export function nodeCIDRs(store: ServiceSource): NodeCIDR[] {
  const out: NodeCIDR[] = [];
  for (const { object } of store.list("nodes")) {
    const cidr = object.spec?.podCIDR;
    if (typeof cidr === "string" && cidr) out.push({ nodeName: object.metadata.name ?? "", podCIDR: cidr });
  }
  return out.sort((a, b) => (a.nodeName < b.nodeName ? -1 : a.nodeName > b.nodeName ? 1 : 0));
}
