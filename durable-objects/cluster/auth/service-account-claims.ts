// The claims of ServiceAccount tokens, as upstream's pkg/serviceaccount/claims.go (bound tokens) and
// legacy.go (tokens of kubernetes.io/service-account-token Secrets) write them. Pure: times in
// milliseconds in, JWT NumericDates (seconds) out.
import { WARN_ONLY_EXPIRATION_SECONDS } from "../../../kube/service-account-volume.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { SERVICE_ACCOUNT_PREFIX } from "../../../kube/user-info.ts";

/** The issuer of legacy Secret tokens (upstream's LegacyIssuer). */
export const LEGACY_ISSUER = "kubernetes/serviceaccount";
/** What the ServiceAccount admission plugin's projected token asks for: upstream's signal to extend it. */
export { WARN_ONLY_EXPIRATION_SECONDS };
/** How long such a token stays valid (upstream's ExpirationExtensionSeconds, one year). */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;
/** go-jose's DefaultLeeway: exp, nbf and iat are checked with one minute of slack. */
export const LEEWAY_SECONDS = 60;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaims {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  warnafter?: number;
}

export interface BoundClaims {
  iss: string;
  sub: string;
  /** go-jose writes a single audience as a string. */
  aud: string | string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  "kubernetes.io": KubernetesClaims;
}

export const LEGACY_CLAIM = {
  namespace: "kubernetes.io/serviceaccount/namespace",
  secretName: "kubernetes.io/serviceaccount/secret.name",
  serviceAccountName: "kubernetes.io/serviceaccount/service-account.name",
  serviceAccountUID: "kubernetes.io/serviceaccount/service-account.uid",
} as const;

export interface BoundTokenRequest {
  issuer: string;
  serviceAccount: KubeObject;
  audiences: string[];
  /** Milliseconds since the epoch. */
  now: number;
  expirationSeconds: number;
  /** Pod-bound tokens extended past their requested life: when use past it would be warned about. */
  warnAfterSeconds?: number;
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
  jti: string;
}

const ref = (o: KubeObject): ObjectRef => ({ name: o.metadata.name ?? "", uid: o.metadata.uid ?? "" });

export const serviceAccountUsername = (namespace: string, name: string) =>
  `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;

/** Claims(): a token bound to at most a pod (with its node), a secret, or a node. */
export function boundClaims(r: BoundTokenRequest): BoundClaims {
  const { metadata } = r.serviceAccount;
  const iat = Math.floor(r.now / 1000);
  const k8s: KubernetesClaims = { namespace: metadata.namespace ?? "", serviceaccount: ref(r.serviceAccount) };
  if (r.pod) {
    k8s.pod = ref(r.pod);
    if (r.node) k8s.node = ref(r.node);
  } else if (r.secret) k8s.secret = ref(r.secret);
  else if (r.node) k8s.node = ref(r.node);
  if (r.warnAfterSeconds) k8s.warnafter = iat + r.warnAfterSeconds;
  return {
    iss: r.issuer,
    sub: serviceAccountUsername(metadata.namespace ?? "", metadata.name ?? ""),
    aud: r.audiences.length === 1 ? r.audiences[0] : r.audiences,
    exp: iat + r.expirationSeconds,
    iat,
    nbf: iat,
    jti: r.jti,
    "kubernetes.io": k8s,
  };
}

/** LegacyClaims(): what the tokens controller puts in a Secret — no audience, no expiry. */
export function legacyClaims(serviceAccount: KubeObject, secret: KubeObject): Record<string, string> {
  const ns = serviceAccount.metadata.namespace ?? "";
  const name = serviceAccount.metadata.name ?? "";
  return {
    iss: LEGACY_ISSUER,
    [LEGACY_CLAIM.namespace]: ns,
    [LEGACY_CLAIM.secretName]: secret.metadata.name ?? "",
    [LEGACY_CLAIM.serviceAccountName]: name,
    [LEGACY_CLAIM.serviceAccountUID]: serviceAccount.metadata.uid ?? "",
    sub: serviceAccountUsername(ns, name),
  };
}

export type TimeCheck = "ok" | "expired" | "not valid yet" | "issued in the future";

/** jwt.Claims.Validate with go-jose's leeway; absent claims are not checked (as go-jose). */
export function checkTimes(claims: { exp?: unknown; nbf?: unknown; iat?: unknown }, nowMs: number): TimeCheck {
  const now = nowMs / 1000;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  const exp = num(claims.exp);
  const nbf = num(claims.nbf);
  const iat = num(claims.iat);
  if (nbf !== undefined && now + LEEWAY_SECONDS < nbf) return "not valid yet";
  if (exp !== undefined && now - LEEWAY_SECONDS > exp) return "expired";
  if (iat !== undefined && now + LEEWAY_SECONDS < iat) return "issued in the future";
  return "ok";
}

/** The audiences a token names (a string or an array of strings), or undefined when malformed. */
export function audiencesOf(aud: unknown): string[] | undefined {
  if (aud === undefined) return [];
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud) && aud.every((a) => typeof a === "string")) return aud;
  return undefined;
}
