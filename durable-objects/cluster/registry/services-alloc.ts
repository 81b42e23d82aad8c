// What kube-apiserver's service REST layer does around the strategy: allocate cluster IPs from
// the service CIDR and node ports from 30000-32767, and keep allocated values on update.
// The store owns the sets of used addresses; these functions only choose and check.
import { type FieldError, invalid } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { parseIP } from "../../../kube/ipv4.ts";
import type { ApiContext } from "../context.ts";
import { clusterIPsOf, needsHealthCheck, needsNodePorts, portsOf } from "./services.ts";

export const SERVICE_CIDR = "10.96.0.0/12";
/** The first address, reserved for the `kubernetes` service in the default namespace. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

const CIDR_BASE = ((10 << 24) | (96 << 16)) >>> 0;
const CIDR_SIZE = 1 << 20;
// Usable offsets exclude the network and broadcast addresses.
const IP_COUNT = CIDR_SIZE - 2;
// Upstream splits each range: dynamic allocation prefers the upper band so that static
// choices in the lower band rarely collide (min(max(16, size/16), 256) IPs, size/32 ports).
const IP_STATIC_BAND = Math.min(Math.max(16, Math.floor(CIDR_SIZE / 16)), 256);
const PORT_COUNT = NODE_PORT_RANGE.max - NODE_PORT_RANGE.min + 1;
const PORT_STATIC_BAND = Math.min(Math.max(16, Math.floor(PORT_COUNT / 32)), 128);

const ipAt = (offset: number): string => {
  const n = CIDR_BASE + 1 + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
};

/** Random start, linear probe: the first free slot in [from, to). */
function pick<T>(from: number, to: number, at: (i: number) => T, free: (v: T) => boolean, random: () => number) {
  const n = to - from;
  const start = Math.floor(random() * n);
  for (let k = 0; k < n; k++) {
    const v = at(from + ((start + k) % n));
    if (free(v)) return v;
  }
  return undefined;
}

/** A free cluster IP, or undefined when the range is full. */
export function allocateClusterIP(used: ReadonlySet<string>, random: () => number = Math.random): string | undefined {
  const free = (ip: string) => !used.has(ip);
  return pick(IP_STATIC_BAND, IP_COUNT, ipAt, free, random) ?? pick(0, IP_STATIC_BAND, ipAt, free, random);
}

/** A free node port, or undefined when the range is full. */
export function allocateNodePort(used: ReadonlySet<number>, random: () => number = Math.random): number | undefined {
  const at = (i: number) => NODE_PORT_RANGE.min + i;
  const free = (p: number) => !used.has(p);
  return pick(PORT_STATIC_BAND, PORT_COUNT, at, free, random) ?? pick(0, PORT_STATIC_BAND, at, free, random);
}

export function clusterIPInRange(ip: string): boolean {
  const n = parseIP(ip);
  if (n === undefined) return false;
  return n > CIDR_BASE && n < CIDR_BASE + CIDR_SIZE - 1;
}

export interface UsedAddresses {
  clusterIPs: ReadonlySet<string>;
  nodePorts: ReadonlySet<number>;
}

function assignClusterIP(svc: KubeObject, used: UsedAddresses, random: () => number): FieldError[] {
  const spec = svc.spec;
  if (spec.type === "ExternalName" || spec.clusterIP === "None") return [];
  if (!spec.clusterIP) {
    const ip = allocateClusterIP(used.clusterIPs, random);
    if (!ip) return [invalid("spec.clusterIPs", [], "failed to allocate a serviceIP: range is full")];
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    return [];
  }
  const ip: string = spec.clusterIP;
  const fail = (why: string) => [invalid("spec.clusterIPs", clusterIPsOf(svc), `failed to allocate IP ${ip}: ${why}`)];
  if (!clusterIPInRange(ip))
    return fail(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`);
  return used.clusterIPs.has(ip) ? fail("provided IP is already allocated") : [];
}

function checkOrAllocatePort(
  current: number | undefined,
  field: string,
  used: Set<number>,
  random: () => number,
): { port?: number; errors: FieldError[] } {
  if (!current) {
    const port = allocateNodePort(used, random);
    if (port === undefined) return { errors: [invalid(field, 0, "range is full")] };
    used.add(port);
    return { port, errors: [] };
  }
  const { min, max } = NODE_PORT_RANGE;
  if (current < min || current > max)
    return {
      errors: [
        invalid(field, current, `provided port is not in the valid range. The range of valid ports is ${min}-${max}`),
      ],
    };
  if (used.has(current)) return { errors: [invalid(field, current, "provided port is already allocated")] };
  used.add(current);
  return { port: current, errors: [] };
}

/** The cluster IPs and node ports every other Service holds. */
export function usedByOtherServices(ctx: ApiContext, self: KubeObject): UsedAddresses {
  const clusterIPs = new Set<string>();
  const nodePorts = new Set<number>();
  for (const entry of ctx.store.list("services")) {
    const svc = entry.object;
    if (svc.metadata.uid === self.metadata.uid) continue;
    for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip && ip !== "None") clusterIPs.add(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) nodePorts.add(p.nodePort);
    if (svc.spec?.healthCheckNodePort) nodePorts.add(svc.spec.healthCheckNodePort);
  }
  return { clusterIPs, nodePorts };
}

/**
 * On create (and on update after prepareServiceUpdate): allocate or check the cluster IP, the
 * node ports and the health-check node port. `used` must not contain this service's own values.
 * Fills the service in place and returns upstream-worded field errors.
 */
export function assignServiceAddresses(
  svc: KubeObject,
  used: UsedAddresses,
  random: () => number = Math.random,
): FieldError[] {
  const errs = assignClusterIP(svc, used, random);
  const ports = new Set(used.nodePorts);
  if (needsNodePorts(svc)) {
    // The same node port may serve two protocols of one service port (e.g. DNS on TCP and UDP).
    const mine = new Map<number, number>();
    portsOf(svc).forEach((p, i) => {
      const reuse = p.nodePort === undefined || p.nodePort === 0 ? undefined : mine.get(p.nodePort);
      if (reuse !== undefined) return;
      const r = checkOrAllocatePort(p.nodePort, `spec.ports[${i}].nodePort`, ports, random);
      if (r.port !== undefined) {
        p.nodePort = r.port;
        mine.set(r.port, i);
      }
      errs.push(...r.errors);
    });
  }
  if (needsHealthCheck(svc)) {
    const r = checkOrAllocatePort(svc.spec.healthCheckNodePort, "spec.healthCheckNodePort", ports, random);
    if (r.port !== undefined) svc.spec.healthCheckNodePort = r.port;
    errs.push(...r.errors);
  }
  return errs;
}

/**
 * patchAllocatedValues: an update that omits allocated values (kubectl replace, a PUT of an
 * edited manifest) keeps the old cluster IP, node ports (matched by port name) and health-check
 * port. Run before defaults and validation.
 */
export function prepareServiceUpdate(svc: KubeObject, old: KubeObject): void {
  svc.spec = svc.spec ?? {};
  const spec = svc.spec;
  const needsIP = (o: KubeObject) => o.spec?.type !== "ExternalName";
  if (needsIP(svc) && needsIP(old)) {
    if (!spec.clusterIP && old.spec?.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (clusterIPsOf(svc).length === 0 && clusterIPsOf(old).length > 0) spec.clusterIPs = [...clusterIPsOf(old)];
  }
  if (needsNodePorts(old) && needsNodePorts(svc)) {
    const taken = new Set(
      portsOf(svc)
        .map((p) => p.nodePort)
        .filter((n) => n),
    );
    const byName = new Map(portsOf(old).map((p) => [p.name ?? "", p.nodePort]));
    for (const p of portsOf(svc)) {
      const oldPort = byName.get(p.name ?? "");
      if (!p.nodePort && oldPort && !taken.has(oldPort)) p.nodePort = oldPort;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !spec.healthCheckNodePort)
    spec.healthCheckNodePort = old.spec.healthCheckNodePort;
}
