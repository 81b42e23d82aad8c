// networking.k8s.io/v1 NetworkPolicy: SetDefaults_NetworkPolicy (policyTypes from the rules present, TCP for
// ports), ValidateNetworkPolicySpec (selectors, ports with endPort, peers, ipBlock cidr and except, policy
// types) as pkg/apis/networking/validation has them, and printNetworkPolicy's POD-SELECTOR column.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { formatLabelSelector } from "../../../kube/labels.ts";
import {
  type IPBlock,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicySpec,
  POLICY_TYPES,
} from "../../../kube/network-policy.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { PROTOCOLS, parseIPv4, parseIPv6, portNumProblems } from "./endpoints.ts";
import { portNameProblems } from "./pod-containers.ts";
import type { ResourceKind } from "./types.ts";
import { validateLabelSelector } from "./workload-validation.ts";

const POD_SELECTOR_DESCRIPTION =
  "podSelector selects the pods to which this NetworkPolicy object applies. The array of rules is applied to any pods selected by this field. An empty selector matches all pods in the policy's namespace. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is optional. If it is not specified, it defaults to an empty selector.";

const CIDR_MESSAGE = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

const specOf = (o: KubeObject) => (o.spec ?? {}) as NetworkPolicySpec;

/** SetDefaults_NetworkPolicy: no policyTypes means Ingress, plus Egress when there are egress rules. */
function setDefaults(o: KubeObject): void {
  o.spec ??= {};
  const spec = o.spec as NetworkPolicySpec;
  spec.podSelector ??= {};
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0)
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  const rules = [...(spec.ingress ?? []), ...(spec.egress ?? [])];
  for (const rule of rules) for (const port of rule?.ports ?? []) if (port && !port.protocol) port.protocol = "TCP";
}

/** A CIDR of either family as a number of `bits` bits, the way net.ParseCIDR reads it (masked to the network). */
export function parseAnyCIDR(text: string): { bits: number; base: bigint; prefix: number } | undefined {
  const [ip, len, extra] = text.split("/");
  if (extra !== undefined || !len || !/^\d{1,3}$/.test(len) || !ip) return undefined;
  const v4 = parseIPv4(ip);
  const groups = v4 ? undefined : parseIPv6(ip);
  const bits = v4 ? 32 : 128;
  const prefix = Number(len);
  if ((!v4 && !groups) || prefix > bits) return undefined;
  const width = v4 ? 8n : 16n;
  const value = (v4 ?? groups ?? []).reduce((acc, part) => (acc << width) | BigInt(part), 0n);
  const hostBits = BigInt(bits - prefix);
  return { bits, base: (value >> hostBits) << hostBits, prefix };
}

/** ValidateIPBlock: a CIDR, and excepts strictly inside it. */
function ipBlockErrors(block: IPBlock, at: string): FieldError[] {
  if (!block.cidr) return [required(`${at}.cidr`)];
  const cidr = parseAnyCIDR(block.cidr);
  if (!cidr) return [invalid(`${at}.cidr`, block.cidr, CIDR_MESSAGE)];
  const errs: FieldError[] = [];
  (block.except ?? []).forEach((text, i) => {
    const field = `${at}.except[${i}]`;
    const except = parseAnyCIDR(text);
    if (!except) {
      errs.push(invalid(field, text, CIDR_MESSAGE));
      return;
    }
    const shift = BigInt(cidr.bits - cidr.prefix);
    const inside = except.bits === cidr.bits && except.base >> shift === cidr.base >> shift;
    if (!inside || cidr.prefix >= except.prefix) errs.push(invalid(field, text, "must be a strict subset of `cidr`"));
  });
  return errs;
}

/** ValidateNetworkPolicyPeer: exactly one kind of peer, or pod and namespace selectors together. */
function peerErrors(peer: NetworkPolicyPeer, at: string): FieldError[] {
  const errs: FieldError[] = [];
  let kinds = 0;
  if (peer.podSelector) {
    kinds++;
    errs.push(...validateLabelSelector(peer.podSelector, `${at}.podSelector`));
  }
  if (peer.namespaceSelector) {
    kinds++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${at}.namespaceSelector`));
  }
  if (peer.ipBlock) {
    kinds++;
    errs.push(...ipBlockErrors(peer.ipBlock, `${at}.ipBlock`));
  }
  if (kinds === 0) errs.push(required(at, "must specify a peer"));
  else if (kinds > 1 && peer.ipBlock) errs.push(forbidden(at, "may not specify both ipBlock and another peer"));
  return errs;
}

/** ValidateNetworkPolicyPort: protocol, a port number or name, endPort only after a numeric port. */
function portErrors(port: NetworkPolicyPort, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol))
    errs.push(notSupported(`${at}.protocol`, port.protocol, ["TCP", "UDP", "SCTP"]));
  const end = port.endPort;
  if (port.port === undefined || port.port === null) {
    if (end !== undefined)
      errs.push(invalid(`${at}.endPort`, end, "may not be specified when `port` is not specified"));
  } else if (typeof port.port === "number") {
    for (const msg of portNumProblems(port.port)) errs.push(invalid(`${at}.port`, port.port, msg));
    if (end !== undefined) {
      if (end < port.port) errs.push(invalid(`${at}.endPort`, end, "must be greater than or equal to `port`"));
      for (const msg of portNumProblems(end)) errs.push(invalid(`${at}.endPort`, end, msg));
    }
  } else {
    if (end !== undefined) errs.push(invalid(`${at}.endPort`, end, "may not be specified when `port` is non-numeric"));
    for (const msg of portNameProblems(port.port)) errs.push(invalid(`${at}.port`, port.port, msg));
  }
  return errs;
}

export function validateNetworkPolicySpec(o: KubeObject): FieldError[] {
  const spec = specOf(o);
  const errs = validateLabelSelector(spec.podSelector ?? {}, "spec.podSelector");
  type Rule = { ports?: NetworkPolicyPort[]; from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[] };
  const rules = (name: "ingress" | "egress", peers: "from" | "to") => {
    ((spec[name] ?? []) as Rule[]).forEach((rule, i) => {
      const at = `spec.${name}[${i}]`;
      (rule?.ports ?? []).forEach((p, j) => {
        errs.push(...portErrors(p ?? {}, `${at}.ports[${j}]`));
      });
      (rule?.[peers] ?? []).forEach((p, j) => {
        errs.push(...peerErrors(p ?? {}, `${at}.${peers}[${j}]`));
      });
    });
  };
  rules("ingress", "from");
  rules("egress", "to");
  const types = spec.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length)
    return [...errs, invalid("spec.policyTypes", types, "may not specify more than two policyTypes")];
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, [...POLICY_TYPES]));
  });
  return errs;
}

export const networkPolicies: ResourceKind = {
  group: "networking.k8s.io",
  version: "v1",
  kind: "NetworkPolicy",
  plural: "networkpolicies",
  singular: "networkpolicy",
  namespaced: true,
  shortNames: ["netpol"],
  nameRule: "subdomain",
  tracksGeneration: true,
  columns: [
    column("Pod-Selector", "string", POD_SELECTOR_DESCRIPTION, (o) => formatLabelSelector(specOf(o).podSelector)),
    ageColumn,
  ],
  defaults: setDefaults,
  validate: validateNetworkPolicySpec,
};
