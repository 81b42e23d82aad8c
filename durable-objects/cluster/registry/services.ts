// core/v1 Service: printer columns, SetDefaults_Service plus the REST layer's address defaults,
// ValidateService / ValidateServiceUpdate, and cluster-IP / node-port allocation helpers.
import { type FieldError, duplicate, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1123Label, isDNS1123Subdomain } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column, wide } from "./columns.ts";
import {
  appProtocolErrors,
  dnsLabelErrors,
  ipErrors,
  isIPv6,
  nonSpecialIPErrors,
  parseIPv4,
  portNumProblems,
  protocolErrors,
} from "./endpoints.ts";
import { validateLabels } from "./meta.ts";
import { assignServiceAddresses, prepareServiceUpdate, usedByOtherServices } from "./services-alloc.ts";
import type { ResourceKind } from "./types.ts";

export interface ServicePort {
  name?: string;
  protocol?: string;
  appProtocol?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
}

const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const AFFINITIES = ["ClientIP", "None"];
const FAMILIES = ["IPv4", "IPv6"];
const FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"];
const TRAFFIC_POLICIES = ["Cluster", "Local"];

export const portsOf = (o: KubeObject): ServicePort[] => (Array.isArray(o.spec?.ports) ? o.spec.ports : []);
export const clusterIPsOf = (o: KubeObject): string[] => (Array.isArray(o.spec?.clusterIPs) ? o.spec.clusterIPs : []);
const isHeadless = (o: KubeObject) => clusterIPsOf(o).length === 1 && clusterIPsOf(o)[0] === "None";
const externallyAccessible = (o: KubeObject) =>
  o.spec?.type === "LoadBalancer" ||
  o.spec?.type === "NodePort" ||
  (o.spec?.type === "ClusterIP" && (o.spec?.externalIPs ?? []).length > 0);
export const needsHealthCheck = (o: KubeObject) =>
  o.spec?.type === "LoadBalancer" && o.spec?.externalTrafficPolicy === "Local";
export const needsNodePorts = (o: KubeObject) =>
  o.spec?.type === "NodePort" || (o.spec?.type === "LoadBalancer" && o.spec?.allocateLoadBalancerNodePorts !== false);

// ---- table cells (printService) ----

/** makePortString: "80/TCP", or "80:30080/TCP" when a node port is set. */
export function formatServicePorts(o: KubeObject): string {
  const text = portsOf(o)
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(",");
  return text || "<none>";
}

/** getServiceExternalIP (wide): "<none>", "<pending>", load-balancer ingress or external IPs. */
export function serviceExternalIP(o: KubeObject): string {
  const externalIPs: string[] = o.spec?.externalIPs ?? [];
  switch (o.spec?.type) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const ingress: { ip?: string; hostname?: string }[] = o.status?.loadBalancer?.ingress ?? [];
      const lb = [...new Set(ingress.map((i) => i.ip || i.hostname || "").filter(Boolean))];
      const all = [...lb, ...externalIPs];
      return all.length ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return o.spec?.externalName ?? "";
  }
  return "<unknown>";
}

/** labels.FormatLabels: sorted k=v pairs, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels?.[k]}`);
  return pairs.length ? pairs.join(",") : "<none>";
}

// ---- defaults ----

function defaultAddresses(o: KubeObject): void {
  const spec = o.spec;
  if (spec.type === "ExternalName") return;
  // normalizeClusterIPs: clusterIP and clusterIPs[0] always agree.
  if (spec.clusterIP && clusterIPsOf(o).length === 0) spec.clusterIPs = [spec.clusterIP];
  if (!spec.clusterIP && clusterIPsOf(o).length > 0) spec.clusterIP = clusterIPsOf(o)[0];
  // initIPFamilyFields on a single-stack IPv4 cluster: headless services without a selector
  // ask for dual stack, everything else is single stack.
  if (!spec.ipFamilyPolicy) {
    const selectorless = Object.keys(spec.selector ?? {}).length === 0;
    spec.ipFamilyPolicy = spec.clusterIP === "None" && selectorless ? "RequireDualStack" : "SingleStack";
  }
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0)
    spec.ipFamilies = [spec.clusterIP && spec.clusterIP !== "None" && isIPv6(spec.clusterIP) ? "IPv6" : "IPv4"];
}

function defaultService(o: KubeObject): void {
  o.spec = o.spec ?? {};
  const spec = o.spec;
  if (!spec.sessionAffinity) spec.sessionAffinity = "None";
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP" && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined)
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  if (!spec.type) spec.type = "ClusterIP";
  for (const p of portsOf(o)) {
    if (!p.protocol) p.protocol = "TCP";
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "") p.targetPort = p.port;
  }
  if (externallyAccessible(o) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = "Cluster";
  if (!spec.internalTrafficPolicy && ["NodePort", "LoadBalancer", "ClusterIP"].includes(spec.type))
    spec.internalTrafficPolicy = "Cluster";
  if (spec.type === "LoadBalancer" && spec.allocateLoadBalancerNodePorts === undefined)
    spec.allocateLoadBalancerNodePorts = true;
  defaultAddresses(o);
}

// ---- validation ----

export const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/**
 * Service names are DNS-1035 labels (they become DNS names and env var prefixes). The generic
 * metadata check applies the DNS-1123 label rule; this adds the leading-letter rule on top.
 */
function nameErrors(o: KubeObject): FieldError[] {
  const name = o.metadata.name ?? "";
  if (!name || isDNS1123Label(name).length > 0 || /^[a-z]/.test(name)) return [];
  return [invalid("metadata.name", name, DNS1035_MSG)];
}

/** validation.IsValidPortName for named target ports. */
export function portNameProblems(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

function portErrors(p: ServicePort, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(`${path}.name`));
  else if (p.name) {
    errs.push(...dnsLabelErrors(`${path}.name`, p.name));
    if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
    names.add(p.name);
  }
  for (const msg of portNumProblems(p.port)) errs.push(invalid(`${path}.port`, p.port ?? 0, msg));
  errs.push(...protocolErrors(`${path}.protocol`, p.protocol));
  const target = p.targetPort;
  const targetProblems = typeof target === "string" ? portNameProblems(target) : portNumProblems(target);
  for (const msg of targetProblems) errs.push(invalid(`${path}.targetPort`, target ?? 0, msg));
  return [...errs, ...appProtocolErrors(`${path}.appProtocol`, p.appProtocol)];
}

function typeSpecificErrors(o: KubeObject): FieldError[] {
  const spec = o.spec;
  const headlessMsg = (t: string) => `may not be set to 'None' for ${t} services`;
  if ((spec.type === "LoadBalancer" || spec.type === "NodePort") && isHeadless(o))
    return [invalid("spec.clusterIPs[0]", "None", headlessMsg(spec.type))];
  if (spec.type !== "ExternalName") return [];
  const errs: FieldError[] = [];
  const notForExternalName = "may not be set for ExternalName services";
  if (clusterIPsOf(o).length) errs.push(forbidden("spec.clusterIPs", notForExternalName));
  if ((spec.ipFamilies ?? []).length) errs.push(forbidden("spec.ipFamilies", notForExternalName));
  if (spec.ipFamilyPolicy) errs.push(forbidden("spec.ipFamilyPolicy", notForExternalName));
  const cname = String(spec.externalName ?? "").replace(/\.$/, "");
  if (!cname) errs.push(required("spec.externalName"));
  else errs.push(...isDNS1123Subdomain(cname).map((msg) => invalid("spec.externalName", cname, msg)));
  return errs;
}

function clusterIPErrors(o: KubeObject): FieldError[] {
  const spec = o.spec;
  if (spec.type === "ExternalName") return [];
  const ips = clusterIPsOf(o);
  const errs: FieldError[] = [];
  if (spec.clusterIP) {
    if (ips.length === 0) errs.push(required("spec.clusterIPs"));
    else if (ips[0] !== spec.clusterIP)
      errs.push(invalid("spec.clusterIPs", ips, "first value must match `clusterIP`"));
  } else if (ips.length) errs.push(invalid("spec.clusterIPs", ips, "must be empty when `clusterIP` is not specified"));
  const families: string[] = spec.ipFamilies ?? [];
  families.forEach((f, i) => {
    if (!FAMILIES.includes(f)) errs.push(notSupported(`spec.ipFamilies[${i}]`, f, FAMILIES));
    if (families.indexOf(f) < i) errs.push(duplicate(`spec.ipFamilies[${i}]`, f));
  });
  if (spec.ipFamilyPolicy && !FAMILY_POLICIES.includes(spec.ipFamilyPolicy))
    errs.push(notSupported("spec.ipFamilyPolicy", spec.ipFamilyPolicy, FAMILY_POLICIES));
  ips.forEach((ip, i) => {
    if (i === 0 && ip === "None") {
      if (ips.length > 1) errs.push(invalid("spec.clusterIPs", ips, "'None' must be the first and only value"));
    } else errs.push(...ipErrors(`spec.clusterIPs[${i}]`, ip));
  });
  if (ips.length > 2) errs.push(invalid("spec.clusterIPs", ips, "may only hold up to 2 values"));
  if (!isHeadless(o))
    ips.forEach((ip, i) => {
      const family = families[i];
      if (family === "IPv4" && isIPv6(ip))
        errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (family === "IPv6" && !isIPv6(ip) && parseIPv4(ip))
        errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  return errs;
}

function portSetErrors(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ports = portsOf(o);
  if (o.spec.type === "ClusterIP")
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  const servicePorts = new Set<string>();
  ports.forEach((p, i) => {
    const nodeKey = `${p.protocol}/${p.nodePort}`;
    if (p.nodePort && nodePorts.has(nodeKey)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    if (p.nodePort) nodePorts.add(nodeKey);
    const key = `${p.protocol}/${p.port}`;
    if (servicePorts.has(key)) errs.push(duplicate(`spec.ports[${i}]`, { protocol: p.protocol, port: p.port }));
    servicePorts.add(key);
  });
  return errs;
}

function trafficPolicyErrors(o: KubeObject): FieldError[] {
  const spec = o.spec;
  const errs: FieldError[] = [];
  if (!externallyAccessible(o)) {
    if (spec.externalTrafficPolicy)
      errs.push(
        invalid(
          "spec.externalTrafficPolicy",
          spec.externalTrafficPolicy,
          "may only be set for externally-accessible services",
        ),
      );
  } else if (!spec.externalTrafficPolicy) errs.push(required("spec.externalTrafficPolicy"));
  else if (!TRAFFIC_POLICIES.includes(spec.externalTrafficPolicy))
    errs.push(notSupported("spec.externalTrafficPolicy", spec.externalTrafficPolicy, TRAFFIC_POLICIES));
  if (!needsHealthCheck(o) && spec.healthCheckNodePort)
    errs.push(
      invalid(
        "spec.healthCheckNodePort",
        spec.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  if (!spec.internalTrafficPolicy && ["NodePort", "LoadBalancer", "ClusterIP"].includes(spec.type))
    errs.push(required("spec.internalTrafficPolicy"));
  if (spec.internalTrafficPolicy && !TRAFFIC_POLICIES.includes(spec.internalTrafficPolicy))
    errs.push(notSupported("spec.internalTrafficPolicy", spec.internalTrafficPolicy, TRAFFIC_POLICIES));
  return errs;
}

export function validateService(o: KubeObject): FieldError[] {
  const spec = o.spec ?? {};
  const ports = portsOf(o);
  const errs = nameErrors(o);
  if (ports.length === 0 && !isHeadless(o) && spec.type !== "ExternalName") errs.push(required("spec.ports"));
  errs.push(...typeSpecificErrors({ ...o, spec }));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    errs.push(...portErrors(p, ports.length > 1, names, `spec.ports[${i}]`));
  });
  if (spec.selector) errs.push(...validateLabels(spec.selector, "spec.selector"));
  if (!spec.sessionAffinity) errs.push(required("spec.sessionAffinity"));
  else if (!AFFINITIES.includes(spec.sessionAffinity))
    errs.push(notSupported("spec.sessionAffinity", spec.sessionAffinity, AFFINITIES));
  errs.push(...clusterIPErrors({ ...o, spec }));
  ((spec.externalIPs as string[] | undefined) ?? []).forEach((ip, i) => {
    const field = `spec.externalIPs[${i}]`;
    const bad = ipErrors(field, ip);
    errs.push(...(bad.length ? bad : nonSpecialIPErrors(field, ip)));
  });
  if (!spec.type) errs.push(required("spec.type"));
  else if (!TYPES.includes(spec.type)) errs.push(notSupported("spec.type", spec.type, TYPES));
  return [...errs, ...portSetErrors({ ...o, spec }), ...trafficPolicyErrors({ ...o, spec })];
}

/** validateUpgradeDowngradeClusterIPs / IPFamilies: the primary address and family are fixed. */
export function validateServiceUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  if (o.spec?.type === "ExternalName" || old.spec?.type === "ExternalName") return [];
  const [ips, oldIPs] = [clusterIPsOf(o), clusterIPsOf(old)];
  const errs: FieldError[] = [];
  if (!(isHeadless(o) && isHeadless(old))) {
    if (ips.length === oldIPs.length)
      oldIPs.forEach((ip, i) => {
        if (ip !== ips[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, ips, "may not change once set"));
      });
    else if (ips.length === 0) errs.push(invalid("spec.clusterIPs[0]", ips, "primary clusterIP can not be unset"));
    else if (oldIPs.length > 0 && ips[0] !== oldIPs[0])
      errs.push(invalid("spec.clusterIPs[0]", ips, "may not change once set"));
  }
  const [fams, oldFams]: string[][] = [o.spec?.ipFamilies ?? [], old.spec?.ipFamilies ?? []];
  if (isHeadless(o) === isHeadless(old) && !isHeadless(o) && fams.length && oldFams.length && fams[0] !== oldFams[0])
    errs.push(invalid("spec.ipFamilies[0]", fams, "may not change once set"));
  if (needsHealthCheck(o) && needsHealthCheck(old) && o.spec.healthCheckNodePort !== old.spec.healthCheckNodePort)
    errs.push(forbidden("spec.healthCheckNodePort", "field is immutable"));
  return errs;
}

export const services: ResourceKind = {
  group: "",
  version: "v1",
  kind: "Service",
  plural: "services",
  singular: "service",
  namespaced: true,
  shortNames: ["svc"],
  categories: ["all"],
  nameRule: "label",
  subresources: { status: true },
  columns: [
    column(
      "Type",
      "string",
      "type determines how the Service is exposed. Defaults to ClusterIP.",
      (o) => o.spec?.type ?? "",
    ),
    column(
      "Cluster-IP",
      "string",
      "clusterIP is the IP address of the service and is usually assigned randomly.",
      (o) => clusterIPsOf(o)[0] ?? "<none>",
    ),
    column(
      "External-IP",
      "string",
      "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
      serviceExternalIP,
    ),
    column("Port(s)", "string", "The list of ports that are exposed by this service.", formatServicePorts),
    ageColumn,
    wide(
      "Selector",
      "string",
      "Route service traffic to pods with label keys and values matching this selector.",
      (o) => formatLabels(o.spec?.selector),
    ),
  ],
  fields: {
    "spec.clusterIP": (o) => o.spec?.clusterIP ?? "",
    "spec.type": (o) => o.spec?.type ?? "",
  },
  defaults: defaultService,
  prepareForCreate(o) {
    o.status = { loadBalancer: {} };
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  allocate(ctx, svc, old) {
    if (old) prepareServiceUpdate(svc, old);
    return assignServiceAddresses(svc, usedByOtherServices(ctx, svc));
  },
};
