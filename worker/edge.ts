// The edge as every cluster's load balancer (kube/edge-hosts.ts): a request for a host name under the
// deployment's domain goes to the cluster whose id ends that name, and only to it; a request for any other
// host that is not the API's own (a user's domain pointed at `<cluster>.<domain>` by a CNAME record) goes to
// the cluster that CNAME names, found with one DNS-over-HTTPS lookup (when EDGE_DNS_RESOLVER names a resolver) (kept for the record's TTL, at most
// 5 minutes): whoever controls the domain's DNS chooses the cluster, so a tenant cannot claim another's
// domain by writing it into an Ingress. The header EDGE_HEADER tells the object which kind of request this
// is; it is removed from every other request, so clients cannot set it.
import { bareHost, EDGE_HEADER, type EdgeHost, ingressHost, parseEdgeHost } from "../kube/edge-hosts.ts";
import type { Env } from "./env.ts";

const MAX_TTL_SECONDS = 300;
const MAX_REMEMBERED = 10_000;
const cnames = new Map<string, { target: string | undefined; until: number }>();

/** The request without the edge header (what every non-edge request carries to an object). */
export function withoutEdgeHeader(request: Request): Request {
  if (!request.headers.has(EDGE_HEADER)) return request;
  const copy = new Request(request);
  copy.headers.delete(EDGE_HEADER);
  return copy;
}

/** The request as the object takes it for the edge. */
export function edgeRequest(request: Request, kind: EdgeHost["kind"]): Request {
  const copy = new Request(request);
  copy.headers.set(EDGE_HEADER, kind);
  return copy;
}

/** Hosts that are the API's own (never looked up as a user's domain). */
function isOwnHost(host: string, env: Env, requestUrl: URL): boolean {
  if (host === "localhost" || host.endsWith(".localhost") || /^[\d.]+$/.test(host) || host.startsWith("[")) return true;
  const domain = env.EDGE_DOMAIN?.toLowerCase();
  if (domain && (host === domain || host.endsWith(`.${domain}`))) return true;
  const publicHost = env.PUBLIC_URL ? bareHost(new URL(env.PUBLIC_URL).host) : undefined;
  return host === publicHost || (!env.EDGE_DOMAIN && host === bareHost(requestUrl.host));
}

/** Where an edge request goes, or undefined for the API's requests. `token`: the request carries one. */
export async function edgeTarget(request: Request, env: Env, token: boolean): Promise<EdgeHost | undefined> {
  const domain = env.EDGE_DOMAIN;
  if (!domain) return undefined;
  const url = new URL(request.url);
  const host = bareHost(url.host);
  const named = parseEdgeHost(host, domain);
  const resolver = env.EDGE_DNS_RESOLVER;
  if (named || token || !resolver || isOwnHost(host, env, url)) return named;
  const target = await cnameOf(host, resolver);
  const pointed = target ? parseEdgeHost(target, domain) : undefined;
  return pointed?.kind === "ingress" && target === ingressHost(pointed.clusterId, domain.toLowerCase())
    ? pointed
    : undefined;
}

interface DohAnswer {
  type?: number;
  data?: string;
  TTL?: number;
}

/** The CNAME target of `host` (lower case, no final dot), from a DNS-over-HTTPS JSON resolver. */
async function cnameOf(host: string, resolver: string): Promise<string | undefined> {
  const now = Date.now();
  const known = cnames.get(host);
  if (known && known.until > now) return known.target;
  let target: string | undefined;
  let ttl = 60;
  try {
    const url = `${resolver}?name=${encodeURIComponent(host)}&type=CNAME`;
    const response = await fetch(url, { headers: { accept: "application/dns-json" } });
    const body = (await response.json()) as { Answer?: DohAnswer[] };
    const answer = (body.Answer ?? []).find((a) => a.type === 5 && typeof a.data === "string");
    if (answer) {
      target = answer.data!.toLowerCase().replace(/\.$/, "");
      ttl = Math.min(Math.max(answer.TTL ?? 60, 1), MAX_TTL_SECONDS);
    }
  } catch {
    // An unreachable resolver names no cluster; asked again after the short TTL.
  }
  if (cnames.size >= MAX_REMEMBERED) cnames.clear();
  cnames.set(host, { target, until: now + ttl * 1000 });
  return target;
}
