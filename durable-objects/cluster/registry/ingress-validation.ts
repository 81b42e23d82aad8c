// ValidateIngress and ValidateIngressClass as upstream's pkg/apis/networking/validation has them (the
// rules of a 1.32 server: Service names are DNS-1035 labels), with upstream's field paths and messages.
import { type FieldError, forbidden, GoLiteral, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1123Label, isDNS1123Subdomain, isPathSegmentName } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { portNumProblems } from "./endpoints.ts";
import { immutable, tooLong } from "./meta.ts";
import { DNS1035_MSG, portNameProblems } from "./services.ts";

export const PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"];
const INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES = ["/..", "/."];
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";
const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ["Cluster", "Namespace"];

const dnsLabel = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const subdomain = `${dnsLabel}(\\.${dnsLabel})*`;
const wildcardRe = new RegExp(`^\\*\\.${subdomain}$`);
const WILDCARD_MSG = `a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.${subdomain}')`;
const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";

/** IsWildcardDNS1123Subdomain. */
export function isWildcardSubdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push("must be no more than 253 characters");
  if (!wildcardRe.test(value)) errs.push(WILDCARD_MSG);
  return errs;
}

/** A host given as an IP address (ParseIPSloppy accepts dotted quads and IPv6). */
const isIP = (host: string) =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(":") && /^[0-9a-fA-F:.]+$/.test(host));

/** NameIsDNS1035Label, as ValidateServiceName. */
function dns1035Problems(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push("must be no more than 63 characters");
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) errs.push(DNS1035_MSG);
  return errs;
}

interface Backend {
  service?: { name?: string; port?: { name?: string; number?: number } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

function validateBackend(b: Backend, path: string): FieldError[] {
  if (b.resource && b.service) return [invalid(path, "", "cannot set both resource and service backends")];
  if (b.resource) return validateTypedReference(b.resource, `${path}.resource`);
  if (!b.service) return [invalid(path, "", "resource or service backend is required")];
  const errs: FieldError[] = [];
  const { name = "", port = {} } = b.service;
  if (name === "") errs.push(required(`${path}.service.name`));
  else for (const msg of dns1035Problems(name)) errs.push(invalid(`${path}.service.name`, name, msg));
  const portName = port.name ?? "";
  const portNumber = port.number ?? 0;
  if (portName !== "" && portNumber !== 0) errs.push(invalid(path, "", "cannot set both port name & port number"));
  else if (portName !== "")
    for (const msg of portNameProblems(portName)) errs.push(invalid(`${path}.service.port.name`, portName, msg));
  else if (portNumber !== 0)
    for (const msg of portNumProblems(portNumber)) errs.push(invalid(`${path}.service.port.number`, portNumber, msg));
  else errs.push(required(path, "port name or number is required"));
  return errs;
}

function validateTypedReference(ref: { apiGroup?: string; kind?: string; name?: string }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (ref.apiGroup !== undefined && ref.apiGroup !== null)
    for (const msg of isDNS1123Subdomain(ref.apiGroup)) errs.push(invalid(`${path}.apiGroup`, ref.apiGroup, msg));
  for (const field of ["kind", "name"] as const) {
    const value = ref[field] ?? "";
    if (value === "") errs.push(required(`${path}.${field}`));
    else for (const msg of isPathSegmentName(value)) errs.push(invalid(`${path}.${field}`, value, msg));
  }
  return errs;
}

interface HttpPath {
  path?: string;
  pathType?: string;
  backend?: Backend;
}

function validatePath(p: HttpPath, at: string): FieldError[] {
  if (p.pathType === undefined || p.pathType === null)
    return [required(`${at}.pathType`, "pathType must be specified")];
  const errs: FieldError[] = [];
  const path = p.path ?? "";
  if (p.pathType === "Exact" || p.pathType === "Prefix") {
    if (!path.startsWith("/")) errs.push(invalid(`${at}.path`, path, "must be an absolute path"));
    for (const seq of path ? INVALID_PATH_SEQUENCES : [])
      if (path.includes(seq)) errs.push(invalid(`${at}.path`, path, `must not contain '${seq}'`));
    for (const suffix of path ? INVALID_PATH_SUFFIXES : [])
      if (path.endsWith(suffix)) errs.push(invalid(`${at}.path`, path, `cannot end with '${suffix}'`));
  } else if (p.pathType === "ImplementationSpecific") {
    if (path !== "" && !path.startsWith("/")) errs.push(invalid(`${at}.path`, path, "must be an absolute path"));
  } else errs.push(notSupported(`${at}.pathType`, p.pathType, PATH_TYPES));
  return [...errs, ...validateBackend(p.backend ?? {}, `${at}.backend`)];
}

interface Rule {
  host?: string;
  http?: { paths?: HttpPath[] };
}

function validateRules(rules: Rule[]): FieldError[] {
  const errs: FieldError[] = [];
  rules.forEach((rule, i) => {
    const host = rule.host ?? "";
    const at = `spec.rules[${i}]`;
    if (host !== "") {
      if (isIP(host)) errs.push(invalid(`${at}.host`, host, "must be a DNS name, not an IP address"));
      const problems = host.includes("*") ? isWildcardSubdomain(host) : isDNS1123Subdomain(host);
      for (const msg of problems) errs.push(invalid(`${at}.host`, host, msg));
    }
    if (!rule.http) return;
    const paths = rule.http.paths ?? [];
    if (paths.length === 0) errs.push(required(`${at}.http.paths`));
    paths.forEach((p, j) => {
      errs.push(...validatePath(p ?? {}, `${at}.http.paths[${j}]`));
    });
  });
  return errs;
}

function validateTLS(tls: { hosts?: string[]; secretName?: string }[]): FieldError[] {
  const errs: FieldError[] = [];
  tls.forEach((t, i) => {
    (t.hosts ?? []).forEach((host, j) => {
      const problems = host.includes("*") ? isWildcardSubdomain(host) : isDNS1123Subdomain(host);
      for (const msg of problems) errs.push(invalid(`spec.tls[${i}].hosts[${j}]`, host, msg));
    });
    const secret = t.secretName ?? "";
    if (secret !== "")
      for (const msg of isDNS1123Subdomain(secret)) errs.push(invalid(`spec.tls[${i}].secretName`, secret, msg));
  });
  return errs;
}

/** The rules as upstream's message shows its internal slice: nil when absent, empty when given as []. */
const goRules = (given: unknown) => new GoLiteral(`[]networking.IngressRule${Array.isArray(given) ? "{}" : "(nil)"}`);

/** ValidateIngressSpec plus the class annotation check of ValidateIngressCreate/Update. */
export function validateIngress(o: KubeObject): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  const rules: Rule[] = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend)
    errs.push(invalid("spec", goRules(spec.rules), "either `defaultBackend` or `rules` must be specified"));
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, "spec.defaultBackend"));
  errs.push(...validateRules(rules), ...validateTLS(spec.tls ?? []));
  const className = spec.ingressClassName;
  if (typeof className === "string")
    for (const msg of isDNS1123Subdomain(className)) errs.push(invalid("spec.ingressClassName", className, msg));
  const annotation = o.metadata.annotations?.[CLASS_ANNOTATION] ?? "";
  if (annotation !== "" && typeof className === "string" && annotation !== className)
    errs.push(
      invalid(`annotations.${CLASS_ANNOTATION}`, annotation, "must match `ingressClassName` when both are specified"),
    );
  return errs;
}

/** ValidateIngressLoadBalancerStatus (host names; IPs as given). */
export function validateIngressStatus(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ingress: { hostname?: string }[] = o.status?.loadBalancer?.ingress ?? [];
  ingress.forEach((entry, i) => {
    const host = entry.hostname ?? "";
    if (host === "") return;
    const at = `status.loadBalancer.ingress[${i}].hostname`;
    for (const msg of isDNS1123Subdomain(host)) errs.push(invalid(at, host, msg));
    if (isIP(host)) errs.push(invalid(at, host, "must be a DNS name, not an IP address"));
  });
  return errs;
}

/** IsDomainPrefixedPath. */
function domainPrefixedPath(value: string, at: string): FieldError[] {
  const slash = value.indexOf("/");
  const host = slash < 0 ? "" : value.slice(0, slash);
  const path = slash < 0 ? "" : value.slice(slash + 1);
  if (host === "" || path === "") return [invalid(at, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => invalid(at, host, msg));
  if (!new RegExp(`^${httpPathFmt}$`).test(path))
    errs.push(invalid(at, path, `Invalid path (regex used for validation is '${httpPathFmt}')`));
  return errs;
}

export function validateIngressClass(o: KubeObject): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  const controller: string = spec.controller ?? "";
  if (controller === "") errs.push(required("spec.controller"));
  else {
    if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(tooLong("spec.controller", MAX_CONTROLLER_LENGTH));
    errs.push(...domainPrefixedPath(controller, "spec.controller"));
  }
  const params = spec.parameters;
  if (!params) return errs;
  errs.push(...validateTypedReference(params, "spec.parameters"));
  if (params.scope === undefined || params.scope === null) return [...errs, required("spec.parameters.scope")];
  if (!SCOPES.includes(params.scope)) return [...errs, notSupported("spec.parameters.scope", params.scope, SCOPES)];
  if (params.scope === "Namespace") {
    if (params.namespace === undefined || params.namespace === null)
      errs.push(required("spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'"));
    else
      for (const msg of isDNS1123Label(params.namespace))
        errs.push(invalid("spec.parameters.namespace", params.namespace, msg));
  }
  if (params.scope === "Cluster" && params.namespace !== undefined && params.namespace !== null)
    errs.push(forbidden("spec.parameters.namespace", "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

export function validateIngressClassUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  return immutable("spec.controller", o.spec?.controller, old.spec?.controller);
}
