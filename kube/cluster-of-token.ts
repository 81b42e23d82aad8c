// Which cluster a bearer token is for, read without verifying it: the cluster at the server's root is chosen
// by the credential, and the cluster's own object then verifies the whole token. Nothing here is secret —
// the id in a token is the id in the cluster's URL — and a wrong guess only reaches an object that refuses it.

/** Cluster ids: 26 lowercase base32 characters (worker/auth/tokens.ts makes them). */
const CLUSTER_ID = "[a-z2-7]{26}";

/** `fltc_<clusterId>_<43 base64url characters>`: a cluster token that names its cluster. */
const CLUSTER_TOKEN = new RegExp(`^fltc_(${CLUSTER_ID})_[A-Za-z0-9_-]{43}$`);

/** A JWT's issuer naming the cluster: `<any origin>/clusters/<clusterId>` (how the cluster is also reached). */
const ISSUER_PATH = new RegExp(`^/clusters/(${CLUSTER_ID})/?$`);

/** The longest token looked at: a ServiceAccount JWT is well under this; anything longer is no cluster's. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** A cluster token carrying its cluster's id; the secret part is the caller's 256 random bits, base64url. */
export function clusterToken(clusterId: string, secret: string): string {
  return `fltc_${clusterId}_${secret}`;
}

/** The issuer a cluster's ServiceAccount JWTs carry so that they can be routed at the server's root. */
export function clusterIssuer(origin: string, clusterId: string): string {
  return `${origin.replace(/\/+$/, "")}/clusters/${clusterId}`;
}

/** The cluster id a bearer token names, or undefined (an old `fltc_` token, garbage, another issuer). */
export function clusterOfToken(token: string): string | undefined {
  if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
  const direct = CLUSTER_TOKEN.exec(token);
  if (direct) return direct[1];
  return clusterOfJwt(token);
}

function clusterOfJwt(token: string): string | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const claims = decodeSegment(parts[1]);
  const iss = claims && typeof claims === "object" ? (claims as { iss?: unknown }).iss : undefined;
  if (typeof iss !== "string") return undefined;
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return undefined;
  }
  return ISSUER_PATH.exec(url.pathname)?.[1];
}

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const base64 = segment.replaceAll("-", "+").replaceAll("_", "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

/** The bearer token of an Authorization header value, as the object's API middleware reads it. */
export function bearerToken(header: string | null | undefined): string {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match ? match[1].trim() : "";
}
