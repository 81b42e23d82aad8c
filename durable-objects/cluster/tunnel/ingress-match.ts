// Which backend of a cluster's Ingresses serves a request, as upstream specifies (and ingress-nginx does):
// the rules of the most specific matching host (exact, then a one-label wildcard, then rules without a
// host); within them an Exact path before any Prefix, the longest Prefix first, a Prefix matching whole path
// elements (`/foo` matches `/foo` and `/foo/bar`, never `/foobar`); ImplementationSpecific matches as Prefix.
// Ties go to the oldest Ingress, then its name. No match: the oldest Ingress's defaultBackend, if any.
import type { KubeObject } from "../../../kube/types.ts";

export interface IngressBackendRef {
  service?: { name?: string; port?: { name?: string; number?: number } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface Matched {
  ingress: KubeObject;
  backend: IngressBackendRef;
}

interface Candidate {
  ingress: KubeObject;
  order: number;
  hostRank: number;
  exact: boolean;
  length: number;
  backend: IngressBackendRef;
}

/** 0: exact host, 1: wildcard, 2: any host, undefined: no match. */
function hostRank(ruleHost: string | undefined, host: string): number | undefined {
  if (!ruleHost) return 2;
  if (ruleHost === host) return 0;
  if (!ruleHost.startsWith("*.")) return undefined;
  const dot = host.indexOf(".");
  return dot > 0 && host.slice(dot + 1) === ruleHost.slice(2) ? 1 : undefined;
}

/** Path elements of a Prefix path: `/foo/bar/` → ["foo", "bar"] (empty elements ignored, as upstream). */
const elements = (path: string) => path.split("/").filter((e) => e !== "");

export function prefixMatches(prefix: string, path: string): boolean {
  const want = elements(prefix);
  const have = elements(path);
  return want.length <= have.length && want.every((e, i) => e === have[i]);
}

function pathMatch(
  p: { path?: string; pathType?: string },
  path: string,
): { exact: boolean; length: number } | undefined {
  const rulePath = p.path || "/";
  if (p.pathType === "Exact") return rulePath === path ? { exact: true, length: rulePath.length } : undefined;
  return prefixMatches(rulePath, path) ? { exact: false, length: elements(rulePath).join("/").length } : undefined;
}

const byAge = (a: KubeObject, b: KubeObject) => {
  const at = a.metadata.creationTimestamp ?? "";
  const bt = b.metadata.creationTimestamp ?? "";
  if (at !== bt) return at < bt ? -1 : 1;
  const an = `${a.metadata.namespace}/${a.metadata.name}`;
  const bn = `${b.metadata.namespace}/${b.metadata.name}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
};

function better(a: Candidate, b: Candidate): boolean {
  if (a.hostRank !== b.hostRank) return a.hostRank < b.hostRank;
  if (a.exact !== b.exact) return a.exact;
  if (a.length !== b.length) return a.length > b.length;
  return a.order < b.order;
}

/** The backend for `host` (no port, lower case) and `path` among `ingresses` (those the edge serves). */
export function matchIngress(ingresses: KubeObject[], host: string, path: string): Matched | undefined {
  const sorted = [...ingresses].sort(byAge);
  let best: Candidate | undefined;
  let bestHostRank = Number.POSITIVE_INFINITY;
  sorted.forEach((ingress, order) => {
    for (const rule of ingress.spec?.rules ?? []) {
      const rank = hostRank(rule.host, host);
      if (rank === undefined) continue;
      bestHostRank = Math.min(bestHostRank, rank);
      for (const p of rule.http?.paths ?? []) {
        const m = pathMatch(p, path);
        if (!m) continue;
        const candidate = { ingress, order, hostRank: rank, ...m, backend: p.backend ?? {} };
        if (!best || better(candidate, best)) best = candidate;
      }
    }
  });
  // A host's own rules hide the rules for any host, as a separate server block does.
  if (best && best.hostRank === bestHostRank) return { ingress: best.ingress, backend: best.backend };
  const fallback = sorted.find((i) => i.spec?.defaultBackend);
  return fallback ? { ingress: fallback, backend: fallback.spec.defaultBackend } : undefined;
}
