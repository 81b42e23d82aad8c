// The ServiceAccount token authenticator (upstream pkg/serviceaccount/jwt.go + claims.go + legacy.go): a
// JWT of this cluster's issuer (or a legacy Secret token) signed by the cluster's key, within its times,
// for one of the API audiences, whose ServiceAccount — and pod or Secret it is bound to — still exists with
// the uid it names. Anything else is not a user (the API answers 401).
import { peekPayload, verifyJwt } from "../../../kube/jwt.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { serviceAccountUser, type TokenAuthenticator, type UserInfo } from "../../../kube/user-info.ts";
import {
  audiencesOf,
  type BoundClaims,
  checkTimes,
  LEEWAY_SECONDS,
  LEGACY_CLAIM,
  LEGACY_ISSUER,
  type ObjectRef,
} from "./service-account-claims.ts";
import type { ServiceAccountIssuer } from "./service-account-issuer.ts";

/** Where the authenticator looks objects up (the store's in-memory copy). */
export type ObjectLookup = (resource: string, namespace: string | undefined, name: string) => KubeObject | undefined;

/** Extra keys upstream's ServiceAccountInfo.UserInfo() adds. */
export const EXTRA = {
  podName: "authentication.kubernetes.io/pod-name",
  podUID: "authentication.kubernetes.io/pod-uid",
  nodeName: "authentication.kubernetes.io/node-name",
  nodeUID: "authentication.kubernetes.io/node-uid",
  credentialID: "authentication.kubernetes.io/credential-id",
} as const;

const isRef = (v: unknown): v is ObjectRef =>
  typeof v === "object" && v !== null && typeof (v as ObjectRef).name === "string";

/** Objects deleted (deletionTimestamp) more than the leeway ago no longer vouch for a token. */
function alive(obj: KubeObject | undefined, uid: string, now: number): boolean {
  if (!obj || obj.metadata.uid !== uid) return false;
  const deleted = Date.parse(obj.metadata.deletionTimestamp ?? "");
  return Number.isNaN(deleted) || deleted >= now - LEEWAY_SECONDS * 1000;
}

function boundUser(claims: BoundClaims, lookup: ObjectLookup, now: number): UserInfo | undefined {
  const k8s = claims["kubernetes.io"];
  if (typeof k8s !== "object" || k8s === null || typeof k8s.namespace !== "string" || !isRef(k8s.serviceaccount))
    return undefined;
  const ns = k8s.namespace;
  const sa = k8s.serviceaccount;
  if (!alive(lookup("serviceaccounts", ns, sa.name), sa.uid, now)) return undefined;
  if (
    k8s.secret !== undefined &&
    !(isRef(k8s.secret) && alive(lookup("secrets", ns, k8s.secret.name), k8s.secret.uid, now))
  )
    return undefined;
  const extra: Record<string, string[]> = {};
  if (k8s.pod !== undefined) {
    if (!isRef(k8s.pod) || !alive(lookup("pods", ns, k8s.pod.name), k8s.pod.uid, now)) return undefined;
    extra[EXTRA.podName] = [k8s.pod.name];
    extra[EXTRA.podUID] = [k8s.pod.uid];
  }
  if (k8s.node !== undefined) {
    if (!isRef(k8s.node)) return undefined;
    // A pod-bound token only carries its node's name; a node-bound one needs the node alive.
    if (k8s.pod === undefined && !alive(lookup("nodes", undefined, k8s.node.name), k8s.node.uid, now)) return undefined;
    extra[EXTRA.nodeName] = [k8s.node.name];
    extra[EXTRA.nodeUID] = [k8s.node.uid];
  }
  if (typeof claims.jti === "string" && claims.jti) extra[EXTRA.credentialID] = [`JTI=${claims.jti}`];
  const user = serviceAccountUser(ns, sa.name, sa.uid);
  return Object.keys(extra).length ? { ...user, extra } : user;
}

const decodeBase64 = (text: string) => {
  try {
    return atob(text);
  } catch {
    return undefined;
  }
};

/** legacy.go's validator: the Secret must still exist, hold this very token, and name the same account. */
function legacyUser(claims: Record<string, unknown>, token: string, lookup: ObjectLookup): UserInfo | undefined {
  const text = (key: string) => (typeof claims[key] === "string" ? (claims[key] as string) : "");
  const ns = text(LEGACY_CLAIM.namespace);
  const name = text(LEGACY_CLAIM.serviceAccountName);
  const uid = text(LEGACY_CLAIM.serviceAccountUID);
  const secretName = text(LEGACY_CLAIM.secretName);
  if (!ns || !name || !uid || !secretName) return undefined;
  const secret = lookup("secrets", ns, secretName);
  if (!secret || secret.metadata.deletionTimestamp) return undefined;
  if (decodeBase64(String((secret.data as Record<string, unknown> | undefined)?.token ?? "")) !== token)
    return undefined;
  const sa = lookup("serviceaccounts", ns, name);
  if (!sa || sa.metadata.uid !== uid || sa.metadata.deletionTimestamp) return undefined;
  return serviceAccountUser(ns, name, uid);
}

/** The TokenAuthenticator for this cluster's ServiceAccount tokens (bound and legacy). */
export function serviceAccountAuthenticator(issuer: ServiceAccountIssuer, lookup: ObjectLookup): TokenAuthenticator {
  return async (token, now) => {
    // hasCorrectIssuer: a token that is not a JWT of ours is some other authenticator's.
    const iss = peekPayload(token)?.iss;
    if (iss !== issuer.issuer && iss !== LEGACY_ISSUER) return undefined;
    const verified = await verifyJwt<Record<string, unknown>>(token, issuer.verificationKeys);
    if (!verified.ok) return undefined;
    const claims = verified.payload;
    if (checkTimes(claims, now) !== "ok") return undefined;
    const audiences = audiencesOf(claims.aud);
    if (!audiences) return undefined;
    if (claims.iss === LEGACY_ISSUER) {
      // Legacy tokens carry no audience: they are taken as meant for the API (upstream's implicit audiences).
      if (audiences.length > 0 && !audiences.some((a) => issuer.audiences.includes(a))) return undefined;
      return legacyUser(claims, token, lookup);
    }
    if (!audiences.some((a) => issuer.audiences.includes(a))) return undefined;
    return boundUser(claims as unknown as BoundClaims, lookup, now);
  };
}
