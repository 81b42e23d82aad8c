// Host names at the edge (the Worker is each cluster's load balancer). Under the deployment's domain D:
//   <cluster>.D                       the cluster's ingress address (its Ingresses of class `flotilla`)
//   <service>-<namespace>-<cluster>.D a LoadBalancer or published Service
// Every name is one DNS label under D, so one wildcard certificate and one wildcard route cover them all.
// The cluster id (26 base32 characters) is always the label's end: the Worker sends a request only to that
// cluster, so a host name can never reach another tenant's cluster. `<service>-<namespace>` longer than fits
// in a label (63) is cut and given a hash of the whole name, so every Service has a name.

const CLUSTER_ID = "[a-z2-7]{26}";
const MAX_LABEL = 63;
/** What is left of a label for `<service>-<namespace>` beside `-<cluster>`. */
const MAX_SERVICE_PART = MAX_LABEL - 27;
const HASH_LENGTH = 8;

export type EdgeHost = { kind: "ingress"; clusterId: string } | { kind: "service"; clusterId: string; service: string };

/** FNV-1a, 32 bits, as 8 hex digits: short, stable and the same in every runtime. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, "0");
}

/** `<service>-<namespace>`, or its first characters and a hash when it would not fit in a label. */
export function serviceHostPart(name: string, namespace: string): string {
  const whole = `${name}-${namespace}`;
  if (whole.length <= MAX_SERVICE_PART) return whole;
  const head = whole.slice(0, MAX_SERVICE_PART - HASH_LENGTH - 1).replace(/-+$/, "");
  return `${head}-${fnv1a(`${namespace}/${name}`)}`;
}

export const serviceHost = (name: string, namespace: string, clusterId: string, domain: string) =>
  `${serviceHostPart(name, namespace)}-${clusterId}.${domain}`;

export const ingressHost = (clusterId: string, domain: string) => `${clusterId}.${domain}`;

/** The host of a URL or Host header without its port, lower case. */
export function bareHost(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  const colon = lower.lastIndexOf(":");
  return (colon < 0 ? lower : lower.slice(0, colon)).replace(/\.$/, "");
}

/** What a host under `domain` names, or undefined for every other host (the API's own included). */
export function parseEdgeHost(host: string, domain: string | undefined): EdgeHost | undefined {
  if (!domain) return undefined;
  const bare = bareHost(host);
  const suffix = `.${domain.toLowerCase()}`;
  if (!bare.endsWith(suffix)) return undefined;
  const label = bare.slice(0, -suffix.length);
  if (new RegExp(`^${CLUSTER_ID}$`).test(label)) return { kind: "ingress", clusterId: label };
  const match = new RegExp(`^([a-z0-9][-a-z0-9]*)-(${CLUSTER_ID})$`).exec(label);
  if (!match || label.length > MAX_LABEL) return undefined;
  return { kind: "service", clusterId: match[2], service: match[1] };
}

/**
 * Set by the Worker on the requests it sends a cluster for an edge host ("ingress" or "service") and removed
 * from every other request, so a client can never claim it.
 */
export const EDGE_HEADER = "flotilla-edge";
