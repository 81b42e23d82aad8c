// Service environment variables, as the kubelet gives every container (pkg/kubelet/envvars FromServices
// and kubelet_pods.go getServiceEnvVarMap): <NAME>_SERVICE_HOST/_SERVICE_PORT/_SERVICE_PORT_<PORTNAME>
// and the Docker-link set <NAME>_PORT, <NAME>_PORT_<port>_<PROTO>{,_PROTO,_PORT,_ADDR}. Pure.
//
// Upstream's host is the cluster IP and the port the Service port, and so are the agent's where its node
// routes cluster IPs. A node that cannot (no root or tools) passes the address of its node-local listener
// instead: `reachAt` is the port clients use, while variable names keep the Service port (an app looking for
// REDIS_PORT_6379_TCP still finds it).

export interface ServiceEnvPort {
  /** The port's name; only named ports get a _SERVICE_PORT_<NAME> variable. */
  name?: string;
  /** TCP when empty. */
  protocol?: string;
  /** The Service port: part of the Docker-link variable names. */
  port: number;
  /** The port clients connect to; the Service port when absent (upstream). */
  reachAt?: number;
}

export interface ServiceEnvEntry {
  name: string;
  /** Where clients connect: the cluster IP, or the node-local proxy's address where cluster IPs do not route. */
  host: string;
  ports: ServiceEnvPort[];
}

/** makeEnvVariableName: upper-cased, "-" → "_" (Service names are DNS-1035 labels: no dots, no leading digit). */
export const envVariableName = (name: string): string => name.replaceAll("-", "_").toUpperCase();

/** net.JoinHostPort: IPv6 hosts in brackets. */
const joinHostPort = (host: string, port: number) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);

function linkVariables(service: ServiceEnvEntry): [string, string][] {
  const prefix = envVariableName(service.name);
  const out: [string, string][] = [];
  service.ports.forEach((sp, i) => {
    const protocol = sp.protocol || "TCP";
    const reach = sp.reachAt ?? sp.port;
    const url = `${protocol.toLowerCase()}://${joinHostPort(service.host, reach)}`;
    // Docker special-cases the first port.
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    out.push(
      [portPrefix, url],
      [`${portPrefix}_PROTO`, protocol.toLowerCase()],
      [`${portPrefix}_PORT`, String(reach)],
      [`${portPrefix}_ADDR`, service.host],
    );
  });
  return out;
}

/** FromServices: the variables for these services, in upstream's order. Services without ports give none. */
export function serviceEnvVars(services: readonly ServiceEnvEntry[]): [string, string][] {
  const out: [string, string][] = [];
  for (const service of services) {
    if (service.ports.length === 0 || service.host === "") continue;
    const prefix = envVariableName(service.name);
    const first = service.ports[0];
    out.push([`${prefix}_SERVICE_HOST`, service.host]);
    out.push([`${prefix}_SERVICE_PORT`, String(first.reachAt ?? first.port)]);
    for (const sp of service.ports)
      if (sp.name) out.push([`${prefix}_SERVICE_PORT_${envVariableName(sp.name)}`, String(sp.reachAt ?? sp.port)]);
    out.push(...linkVariables(service));
  }
  return out;
}

/** The master services every pod learns about, whatever its enableServiceLinks says. */
const MASTER_SERVICES = new Set(["kubernetes"]);

/**
 * getServiceEnvVarMap's selection: `kubernetes` from default always, the pod namespace's own services only
 * when enableServiceLinks is not false; a same-named service of the pod's namespace wins over default's.
 */
export function servicesForPod<T extends { namespace: string; name: string }>(
  services: readonly T[],
  namespace: string,
  enableServiceLinks = true,
): T[] {
  const chosen = new Map<string, T>();
  for (const service of services) {
    if (service.namespace === "default" && MASTER_SERVICES.has(service.name)) {
      if (!chosen.has(service.name)) chosen.set(service.name, service);
    } else if (service.namespace === namespace && enableServiceLinks) chosen.set(service.name, service);
  }
  return [...chosen.values()];
}
