// Where a pods/proxy or services/proxy request goes, resolved as upstream's ResourceLocation does: the
// id is "name", "name:port" or "scheme:name:port"; a pod's port defaults to its first declared container
// port (else 80), a service's port is a port name or number matched against spec.ports, and a service's
// candidates are the ready addresses of its Endpoints that carry that port.
import { badRequest, StatusError } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";

export type ProxyScheme = "http" | "https";

export interface ProxyId {
  scheme: ProxyScheme;
  name: string;
  port: string;
}

/** One place a request can go: the node whose agent makes it and the pod's address there. */
export interface ProxyTarget {
  node: string;
  ip: string;
  port: number;
  /** The pod behind the address, for messages. */
  pod?: string;
}

const SCHEMES = new Set(["", "http", "https"]);

/** SplitSchemeNamePort; undefined when the id is not valid. */
export function splitSchemeNamePort(id: string): ProxyId | undefined {
  const parts = id.split(":");
  let scheme = "";
  let name: string;
  let port = "";
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (name.length === 0 || !SCHEMES.has(scheme)) return undefined;
  return { scheme: (scheme || "http") as ProxyScheme, name, port };
}

export function parseProxyId(id: string, kind: "pod" | "service"): ProxyId {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw badRequest(`invalid ${kind} request "${id}"`);
  return parsed;
}

const serviceUnavailable = (message: string) => new StatusError(503, "ServiceUnavailable", message);

/** Loopback, link-local, multicast and unspecified addresses are never proxied to (IsProxyableIP). */
export function isProxyableIP(ip: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (v4.slice(1).some((o) => Number(o) > 255)) return false;
    return !(a === 0 || a === 127 || (a === 169 && b === 254) || a >= 224);
  }
  if (!ip.includes(":") || !/^[0-9a-fA-F:.]+$/.test(ip)) return false;
  const lower = ip.toLowerCase();
  return !(lower === "::" || lower === "::1" || lower.startsWith("fe80:") || lower.startsWith("ff"));
}

function parsePort(port: string, what: string): number {
  const n = /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw badRequest(`invalid port "${port}" for ${what}`);
  return n;
}

export function podTarget(pod: KubeObject, port: string): ProxyTarget {
  const name = pod.metadata.name;
  let chosen = port;
  if (chosen === "") {
    const declared = (pod.spec?.containers ?? []).find((c: { ports?: unknown[] }) => (c.ports ?? []).length > 0);
    chosen = declared ? String(declared.ports[0].containerPort) : "80";
  }
  const ip: string = pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? "";
  if (!isProxyableIP(ip)) throw badRequest("address not allowed");
  const node: string | undefined = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  return { node, ip, port: parsePort(chosen, `pod ${name}`), pod: name };
}

/** A port number given for a service names the service port that has it (its name, "" when unnamed). */
export function servicePortName(service: KubeObject, port: string): string {
  if (!/^\d+$/.test(port)) return port;
  const found = (service.spec?.ports ?? []).find((p: { port?: number }) => p.port === Number(port));
  if (!found) throw serviceUnavailable(`no service port ${port} found for service "${service.metadata.name}"`);
  return found.name ?? "";
}

interface Address {
  ip: string;
  nodeName?: string;
  targetRef?: { name?: string };
}
interface Subset {
  addresses?: Address[];
  ports?: { name?: string; port: number }[];
}

/** The ready addresses carrying the port, in a stable order (so round robin over them is fair). */
export function serviceTargets(id: string, endpoints: KubeObject | undefined, portName: string): ProxyTarget[] {
  const subsets = (endpoints as { subsets?: Subset[] } | undefined)?.subsets ?? [];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${id}"`);
  const out: ProxyTarget[] = [];
  for (const subset of subsets) {
    const port = (subset.ports ?? []).find((p) => (p.name ?? "") === portName);
    if (!port) continue;
    for (const address of subset.addresses ?? []) {
      if (!address.nodeName || !isProxyableIP(address.ip)) continue;
      out.push({ node: address.nodeName, ip: address.ip, port: port.port, pod: address.targetRef?.name });
    }
  }
  if (out.length === 0) throw serviceUnavailable(`no endpoints available for service "${id}"`);
  return out.sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}
