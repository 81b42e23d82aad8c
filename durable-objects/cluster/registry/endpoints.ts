// core/v1 Endpoints: the ENDPOINTS column, protocol defaults and subset rules, plus the IP and
// port helpers services and endpoint slices share (pkg/apis/core/validation).
import { parseOctets } from "../../../kube/ipv4.ts";
import { type FieldError, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import type { ResourceKind } from "./types.ts";

export const PROTOCOLS = ["SCTP", "TCP", "UDP"];

/** validation.IsValidPortNum. */
export function portNumProblems(port: unknown): string[] {
  return Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535
    ? []
    : ["must be between 1 and 65535, inclusive"];
}

export const parseIPv4 = parseOctets;

/** Eight 16-bit groups of an IPv6 address (with an optional embedded IPv4 tail), or undefined. */
export function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(":") || s.split("::").length > 2) return undefined;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    text = `${s.slice(0, lastColon + 1)}0`;
  }
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const [head, rest] = text.split("::");
  const a = groups(head);
  const b = rest === undefined ? [] : groups(rest);
  if ([...a, ...b].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const nums = (gs: string[]) => gs.map((g) => Number.parseInt(g, 16));
  const total = a.length + b.length + (tail.length ? 1 : 0);
  if (rest === undefined ? total !== 8 : total > 7) return undefined;
  const fill = rest === undefined ? [] : new Array(8 - total).fill(0);
  const all = [...nums(a), ...fill, ...nums(b)];
  if (tail.length) all.splice(all.length - 1, 1, ...tail);
  return all.length === 8 ? all : undefined;
}

export const isIPv4 = (s: string): boolean => parseIPv4(s) !== undefined;
export const isIPv6 = (s: string): boolean => !isIPv4(s) && parseIPv6(s) !== undefined;
export const isIP = (s: string): boolean => isIPv4(s) || isIPv6(s);

/** validation.IsValidIP as a field error list. */
export function ipErrors(field: string, ip: string): FieldError[] {
  return isIP(ip) ? [] : [invalid(field, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")];
}

/** ValidateNonSpecialIP: no unspecified, loopback or link-local addresses. */
export function nonSpecialIPErrors(field: string, ip: string): FieldError[] {
  const v4 = parseIPv4(ip);
  const v6 = v4 ? undefined : parseIPv6(ip);
  if (!v4 && !v6) return [invalid(field, ip, "must be a valid IP address")];
  // IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) follow the IPv4 rules, as in Go's net.IP.
  const mapped = v6?.slice(0, 5).every((g) => g === 0) && v6?.[5] === 0xffff;
  const b = v4 ?? (mapped && v6 ? [v6[6] >> 8, v6[6] & 255, v6[7] >> 8, v6[7] & 255] : undefined);
  const errs: FieldError[] = [];
  const is = (cond: boolean, msg: string) => {
    if (cond) errs.push(invalid(field, ip, msg));
  };
  if (b) {
    is(
      b.every((x) => x === 0),
      `may not be unspecified (${ip})`,
    );
    is(b[0] === 127, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
    is(b[0] === 169 && b[1] === 254, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
    is(
      b[0] === 224 && b[1] === 0 && b[2] === 0,
      "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
    );
  } else if (v6) {
    is(
      v6.every((x) => x === 0),
      `may not be unspecified (${ip})`,
    );
    is(v6.slice(0, 7).every((x) => x === 0) && v6[7] === 1, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
    is((v6[0] & 0xffc0) === 0xfe80, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
    is((v6[0] & 0xff0f) === 0xff02, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
  }
  return errs;
}

export function dnsLabelErrors(field: string, value: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => invalid(field, value, msg));
}

export function protocolErrors(field: string, protocol: unknown): FieldError[] {
  if (!protocol) return [required(field)];
  return PROTOCOLS.includes(String(protocol)) ? [] : [notSupported(field, protocol, PROTOCOLS)];
}

export function appProtocolErrors(field: string, appProtocol: unknown): FieldError[] {
  if (appProtocol === undefined || appProtocol === null) return [];
  return isQualifiedName(String(appProtocol)).map((msg) => invalid(field, appProtocol, msg));
}

interface EndpointAddress {
  ip?: string;
  hostname?: string;
  nodeName?: string;
}
interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}
interface Subset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

const subsetsOf = (o: KubeObject): Subset[] => (Array.isArray(o.subsets) ? (o.subsets as Subset[]) : []);

const hostPort = (ip: string, port: number) => (ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);

/** formatEndpoints: up to three ip:port pairs, then "+ N more...". */
export function formatEndpoints(o: KubeObject): string {
  const subsets = subsetsOf(o);
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    // Headless services may have endpoints without ports.
    const pairs =
      ports.length === 0
        ? addrs.map((a) => a.ip ?? "")
        : ports.flatMap((p) => addrs.map((a) => hostPort(a.ip ?? "", p.port ?? 0)));
    count += pairs.length;
    for (const p of pairs) if (list.length < 3) list.push(p);
  }
  const text = list.join(",");
  return count > 3 ? `${text} + ${count - 3} more...` : text;
}

function addressErrors(a: EndpointAddress, path: string): FieldError[] {
  const errs = ipErrors(`${path}.ip`, a.ip ?? "");
  if (a.hostname) errs.push(...dnsLabelErrors(`${path}.hostname`, a.hostname));
  if (a.nodeName !== undefined)
    for (const msg of isDNS1123Subdomain(a.nodeName)) errs.push(invalid(`${path}.nodeName`, a.nodeName, msg));
  return [...errs, ...nonSpecialIPErrors(`${path}.ip`, a.ip ?? "")];
}

function portErrors(p: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(`${path}.name`));
  else if (p.name) errs.push(...dnsLabelErrors(`${path}.name`, p.name));
  for (const msg of portNumProblems(p.port)) errs.push(invalid(`${path}.port`, p.port ?? 0, msg));
  return [
    ...errs,
    ...protocolErrors(`${path}.protocol`, p.protocol),
    ...appProtocolErrors(`${path}.appProtocol`, p.appProtocol),
  ];
}

function validateEndpoints(o: KubeObject): FieldError[] {
  return subsetsOf(o).flatMap((ss, i) => {
    const path = `subsets[${i}]`;
    const errs: FieldError[] = [];
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length)
      errs.push(required(path, "must specify `addresses` or `notReadyAddresses`"));
    (ss.addresses ?? []).forEach((a, j) => {
      errs.push(...addressErrors(a, `${path}.addresses[${j}]`));
    });
    (ss.notReadyAddresses ?? []).forEach((a, j) => {
      errs.push(...addressErrors(a, `${path}.notReadyAddresses[${j}]`));
    });
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => {
      errs.push(...portErrors(p, ports.length > 1, `${path}.ports[${j}]`));
    });
    return errs;
  });
}

export const endpoints: ResourceKind = {
  group: "",
  version: "v1",
  kind: "Endpoints",
  plural: "endpoints",
  singular: "endpoints",
  namespaced: true,
  shortNames: ["ep"],
  nameRule: "subdomain",
  columns: [
    column(
      "Endpoints",
      "string",
      "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.",
      formatEndpoints,
    ),
    ageColumn,
  ],
  defaults(o) {
    for (const ss of subsetsOf(o)) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = "TCP";
  },
  validate: validateEndpoints,
};
