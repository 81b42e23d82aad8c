// discovery.k8s.io/v1 EndpointSlice: printer columns, port defaults and ValidateEndpointSlice.
import { type FieldError, invalid, notSupported, required, duplicate } from "../../../kube/field-errors.ts";
import { isDNS1123Label, isDNS1123Subdomain } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { appProtocolErrors, dnsLabelErrors, isIPv4, isIPv6, nonSpecialIPErrors, PROTOCOLS } from "./endpoints.ts";
import { immutable, validateLabels } from "./meta.ts";
import type { ResourceKind } from "./types.ts";

interface SlicePort {
  name?: string | null;
  port?: number | null;
  protocol?: string | null;
  appProtocol?: string;
}
interface SliceEndpoint {
  addresses?: string[];
  hostname?: string;
  deprecatedTopology?: Record<string, string>;
}

const ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"];
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;
const MAX_ADDRESSES = 100;
const MAX_TOPOLOGY_LABELS = 16;

const portsOf = (o: KubeObject): SlicePort[] => (Array.isArray(o.ports) ? (o.ports as SlicePort[]) : []);
const endpointsOf = (o: KubeObject): SliceEndpoint[] =>
  Array.isArray(o.endpoints) ? (o.endpoints as SliceEndpoint[]) : [];

function listWithMore(list: string[], count: number): string {
  if (count > 3) return `${list.slice(0, 3).join(",")} + ${count - 3} more...`;
  return list.length ? list.join(",") : "<unset>";
}

/** formatDiscoveryPorts: numbers, or the name, or "*" for all ports. */
export function formatSlicePorts(o: KubeObject): string {
  const list = portsOf(o).map((p) => (typeof p.port === "number" ? String(p.port) : p.name ? p.name : "*"));
  return listWithMore(list, list.length);
}

/** formatDiscoveryEndpoints: the first three addresses across all endpoints. */
export function formatSliceEndpoints(o: KubeObject): string {
  const list = endpointsOf(o).flatMap((e) => e.addresses ?? []);
  return listWithMore(list, list.length);
}

const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: "FieldValueTooMany",
  field,
  value: actual,
  detail: `must have at most ${max} items`,
});

/** validation.IsFullyQualifiedDomainName. */
function fqdnErrors(field: string, value: string): FieldError[] {
  if (!value) return [required(field)];
  const name = value.endsWith(".") ? value.slice(0, -1) : value;
  const problems = isDNS1123Subdomain(name);
  if (problems.length) return [invalid(field, name, problems.join(","))];
  const labels = name.split(".");
  if (labels.length < 2)
    return [invalid(field, name, "should be a domain with at least two segments separated by dots")];
  for (const l of labels) {
    const p = isDNS1123Label(l);
    if (p.length) return [invalid(field, l, p.join(","))];
  }
  return [];
}

function addressErrors(type: string, field: string, address: string): FieldError[] {
  switch (type) {
    case "IPv4":
      return isIPv4(address)
        ? nonSpecialIPErrors(field, address)
        : [invalid(field, address, "must be a valid IPv4 address"), ...nonSpecialIPErrors(field, address)];
    case "IPv6":
      return isIPv6(address)
        ? nonSpecialIPErrors(field, address)
        : [invalid(field, address, "must be a valid IPv6 address"), ...nonSpecialIPErrors(field, address)];
    case "FQDN":
      return fqdnErrors(field, address);
  }
  return [];
}

function endpointErrors(o: KubeObject): FieldError[] {
  const list = endpointsOf(o);
  if (list.length > MAX_ENDPOINTS) return [tooMany("endpoints", list.length, MAX_ENDPOINTS)];
  const type = String(o.addressType ?? "");
  return list.flatMap((e, i) => {
    const path = `endpoints[${i}]`;
    const addresses = e.addresses ?? [];
    const errs: FieldError[] = [];
    if (addresses.length === 0) errs.push(required(`${path}.addresses`, "must contain at least 1 address"));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => {
      errs.push(...addressErrors(type, `${path}.addresses[${j}]`, a));
    });
    const topology = e.deprecatedTopology ?? {};
    if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS)
      errs.push(tooMany(`${path}.deprecatedTopology`, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topology, `${path}.deprecatedTopology`));
    if (typeof e.hostname === "string") errs.push(...dnsLabelErrors(`${path}.hostname`, e.hostname));
    return errs;
  });
}

function portErrors(o: KubeObject): FieldError[] {
  const ports = portsOf(o);
  if (ports.length > MAX_PORTS) return [tooMany("ports", ports.length, MAX_PORTS)];
  const names = new Set<string>();
  return ports.flatMap((p, i) => {
    const path = `ports[${i}]`;
    const name = p.name ?? "";
    const errs = name ? dnsLabelErrors(`${path}.name`, name) : [];
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
    if (!p.protocol) errs.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    return [...errs, ...appProtocolErrors(`${path}.appProtocol`, p.appProtocol)];
  });
}

function addressTypeErrors(o: KubeObject, allowed: string[]): FieldError[] {
  const type = o.addressType;
  if (!type) return [required("addressType")];
  return allowed.includes(String(type)) ? [] : [notSupported("addressType", type, allowed)];
}

export const endpointSlices: ResourceKind = {
  group: "discovery.k8s.io",
  version: "v1",
  kind: "EndpointSlice",
  plural: "endpointslices",
  singular: "endpointslice",
  namespaced: true,
  nameRule: "subdomain",
  columns: [
    column("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice.", (o) =>
      String(o.addressType ?? ""),
    ),
    column(
      "Ports",
      "string",
      "ports specifies the list of network ports exposed by each endpoint in this slice.",
      formatSlicePorts,
    ),
    column("Endpoints", "string", "endpoints is a list of unique endpoints in this slice.", formatSliceEndpoints),
    ageColumn,
  ],
  defaults(o) {
    for (const p of portsOf(o)) {
      if (p.name === undefined || p.name === null) p.name = "";
      if (!p.protocol) p.protocol = "TCP";
    }
  },
  validate: (o) => [...addressTypeErrors(o, ADDRESS_TYPES), ...endpointErrors(o), ...portErrors(o)],
  // Upstream also keeps the deprecated "IP" type valid on update; validate() cannot tell
  // create from update, so such objects are rejected here (none are created through this API).
  validateUpdate: (o, old) => immutable("addressType", o.addressType, old.addressType),
};
