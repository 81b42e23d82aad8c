// Which rule of the attached HTTPRoutes serves a request, and what the rule does with it, as the Gateway API
// spec orders them (apis/v1 httproute_types.go): among the routes whose hostnames match the Host header,
// the one with the longest matching non-wildcard hostname, then the longest matching hostname; then the
// match with an Exact path, the longest path (PathPrefix and RegularExpression by characters), a method, the
// most header matches, the most query param matches; then the oldest route, then `<namespace>/<name>`; then
// the first rule and match in list order. PathPrefix matches whole path elements (`/foo` matches `/foo/bar`,
// never `/foobar`); headers by case-insensitive name; query params by the param's first value; regular
// expressions are RE2 and match the whole value. Weighted backendRefs are spread by smooth weighted round robin.
import type { KubeObject } from "../../../kube/types.ts";
import { compileRegex } from "../cel/regex.ts";
import { prefixMatches } from "./ingress-match.ts";

export interface AttachedRoute {
  route: KubeObject;
  /** The hostnames it answers (its own intersected with its listeners'); undefined for any host. */
  hostnames: string[] | undefined;
}

export interface RouteRequest {
  host: string;
  method: string;
  path: string;
  headers: { get(name: string): string | null };
  query: URLSearchParams;
}

interface ValueMatch {
  type?: string;
  name: string;
  value: string;
}

export interface RouteMatch {
  path?: { type?: string; value?: string };
  headers?: ValueMatch[];
  queryParams?: ValueMatch[];
  method?: string;
}

export interface HeaderFilter {
  set?: { name: string; value: string }[];
  add?: { name: string; value: string }[];
  remove?: string[];
}

export interface RouteFilter {
  type: string;
  requestHeaderModifier?: HeaderFilter;
  requestRedirect?: {
    scheme?: string;
    hostname?: string;
    path?: { type: string; replaceFullPath?: string; replacePrefixMatch?: string };
    port?: number;
    statusCode?: number;
  };
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  filters?: RouteFilter[];
}

export interface RouteRule {
  matches?: RouteMatch[];
  filters?: RouteFilter[];
  backendRefs?: BackendRef[];
}

export interface Matched {
  route: KubeObject;
  rule: RouteRule;
  ruleIndex: number;
  match: RouteMatch;
}

/** Characters of the matching non-wildcard and of any matching hostname; undefined: no match. */
function hostScore(hostnames: string[] | undefined, host: string): [number, number] | undefined {
  if (hostnames === undefined) return [0, 0];
  let best: [number, number] | undefined;
  for (const h of hostnames) {
    let score: [number, number] | undefined;
    if (h === host) score = [h.length, h.length];
    else if (h.startsWith("*.") && host.endsWith(h.slice(1))) score = [0, h.length];
    if (score && (!best || compare(score, best) > 0)) best = score;
  }
  return best;
}

/** Lexicographic comparison of score vectors. */
function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** RE2 matching the whole value; a pattern RE2 refuses matches nothing. */
function fullMatch(pattern: string, value: string): boolean {
  const re = compileRegex(`^(?:${pattern})$`);
  return typeof re !== "string" && re.test(value);
}

const valueMatches = (m: ValueMatch, value: string | null) =>
  value !== null && (m.type === "RegularExpression" ? fullMatch(m.value, value) : m.value === value);

/** Only the first entry of an equivalent name counts (upstream: later ones MUST be ignored). */
function firstOfEachName(list: ValueMatch[] | undefined, fold: boolean): ValueMatch[] {
  const seen = new Set<string>();
  return (list ?? []).filter((m) => {
    const key = fold ? m.name.toLowerCase() : m.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function pathMatches(path: RouteMatch["path"], requestPath: string): boolean {
  const type = path?.type ?? "PathPrefix";
  const value = path?.value ?? "/";
  if (type === "Exact") return value === requestPath;
  if (type === "RegularExpression") return fullMatch(value, requestPath);
  return prefixMatches(value, requestPath);
}

/** The match's precedence: Exact path, path length, method, header count, query param count. */
function matchScore(m: RouteMatch): number[] {
  const type = m.path?.type ?? "PathPrefix";
  const value = (m.path?.value ?? "/").replace(/(.)\/$/, "$1");
  return [
    type === "Exact" ? 1 : 0,
    value.length,
    m.method ? 1 : 0,
    firstOfEachName(m.headers, true).length,
    firstOfEachName(m.queryParams, false).length,
  ];
}

export function requestMatches(m: RouteMatch, req: RouteRequest): boolean {
  if (!pathMatches(m.path, req.path)) return false;
  if (m.method && m.method !== req.method) return false;
  if (!firstOfEachName(m.headers, true).every((h) => valueMatches(h, req.headers.get(h.name)))) return false;
  return firstOfEachName(m.queryParams, false).every((q) => valueMatches(q, req.query.get(q.name)));
}

const age = (route: KubeObject) => route.metadata.creationTimestamp ?? "";
const fullName = (route: KubeObject) => `${route.metadata.namespace}/${route.metadata.name}`;

/** Route order on a full tie: the oldest, then by `<namespace>/<name>`. */
function olderFirst(a: KubeObject, b: KubeObject): number {
  if (age(a) !== age(b)) return age(a) < age(b) ? -1 : 1;
  return fullName(a) < fullName(b) ? -1 : fullName(a) > fullName(b) ? 1 : 0;
}

/** The rule and match serving the request, or undefined (a 404). */
export function matchHTTPRoute(routes: AttachedRoute[], req: RouteRequest): Matched | undefined {
  const ordered = [...routes].sort((a, b) => olderFirst(a.route, b.route));
  let best: { matched: Matched; score: number[] } | undefined;
  for (const { route, hostnames } of ordered) {
    const host = hostScore(hostnames, req.host);
    if (!host) continue;
    const rules: RouteRule[] = route.spec?.rules ?? [];
    rules.forEach((rule, ruleIndex) => {
      for (const match of rule.matches?.length ? rule.matches : [{}]) {
        if (!requestMatches(match, req)) continue;
        const score = [...host, ...matchScore(match)];
        // Strictly better only: the earlier route, rule and match keep a tie.
        if (!best || compare(score, best.score) > 0) best = { matched: { route, rule, ruleIndex, match }, score };
      }
    });
  }
  return best?.matched;
}

/**
 * Smooth weighted round robin (nginx's): each pick raises every backend by its weight and lowers the one
 * picked by the total, so 90/10 gives exactly 9 of every 10 to the first, interleaved. State is per key.
 */
export class WeightedPicker {
  #state = new Map<string, { weights: string; current: number[] }>();
  static readonly MAX_KEYS = 4096;

  /** The index picked among `weights`, or undefined when every weight is 0. */
  pick(key: string, weights: number[]): number | undefined {
    const total = weights.reduce((a, b) => a + b, 0);
    if (total <= 0) return undefined;
    const signature = weights.join(",");
    let state = this.#state.get(key);
    if (!state || state.weights !== signature) {
      if (this.#state.size >= WeightedPicker.MAX_KEYS) this.#state.clear();
      state = { weights: signature, current: weights.map(() => 0) };
      this.#state.set(key, state);
    }
    let chosen = 0;
    for (let i = 0; i < weights.length; i++) {
      state.current[i] += weights[i];
      if (state.current[i] > state.current[chosen]) chosen = i;
    }
    state.current[chosen] -= total;
    return chosen;
  }
}

/** A RequestHeaderModifier applied: set overwrites, add appends, remove drops (names are case-insensitive). */
export function modifyHeaders(headers: Headers, filter: HeaderFilter): void {
  for (const { name, value } of filter.set ?? []) headers.set(name, value);
  for (const { name, value } of filter.add ?? []) headers.append(name, value);
  for (const name of filter.remove ?? []) headers.delete(name);
}

/** ReplacePrefixMatch as upstream's table: the matched prefix's elements replaced, the rest kept. */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const matched = prefix.replace(/\/+$/, "");
  const rest = path.slice(matched.length);
  const out = replacement.replace(/\/+$/, "") + rest;
  return out.startsWith("/") ? out : `/${out}`;
}

const WELL_KNOWN: Record<string, string> = { http: "80", https: "443" };

/**
 * The Location of a RequestRedirect: scheme, hostname and path as the filter says or as requested; the port
 * the filter's, else the scheme's well-known one when the filter sets a scheme, else the request's own
 * (the listener's, as the client reached it); no port where it is the scheme's well-known one.
 */
export function redirectLocation(
  redirect: NonNullable<RouteFilter["requestRedirect"]>,
  url: URL,
  host: string,
  match: RouteMatch,
): string {
  const scheme = redirect.scheme ?? url.protocol.replace(/:$/, "");
  const hostname = redirect.hostname ?? host;
  const port = redirect.port
    ? String(redirect.port)
    : redirect.scheme
      ? WELL_KNOWN[scheme]
      : url.port || WELL_KNOWN[scheme];
  const withPort = !port || WELL_KNOWN[scheme] === port ? hostname : `${hostname}:${port}`;
  let path = url.pathname;
  if (redirect.path?.type === "ReplaceFullPath") path = redirect.path.replaceFullPath ?? "/";
  else if (redirect.path?.type === "ReplacePrefixMatch" && (match.path?.type ?? "PathPrefix") === "PathPrefix")
    path = replacePrefix(path, match.path?.value ?? "/", redirect.path.replacePrefixMatch ?? "");
  return `${scheme}://${withPort}${path}${url.search}`;
}
