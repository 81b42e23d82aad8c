// Authentication: a chain of token authenticators, each yielding a UserInfo for the tokens it knows
// (upstream's union token authenticator). The cluster's own credentials come first; ServiceAccount
// tokens and shared-access users join the chain as their authenticators are added.
import { AUTHENTICATED_GROUP, type TokenAuthenticator, type UserInfo } from "../../../kube/user-info.ts";
import type { Credential, Credentials } from "./credentials.ts";

/** The groups the cluster's admin and view tokens are in, bound to cluster-admin and view (see bootstrap-policy.ts). */
export const ADMINS_GROUP = "flotilla:admins";
export const VIEWERS_GROUP = "flotilla:viewers";
export const NODES_GROUP = "system:nodes";

/**
 * The user a cluster credential stands for; undefined for a join token, which only joins nodes.
 * A node credential is `system:node:<name>` in `system:nodes`, as a kubelet's certificate is upstream;
 * no binding grants that group anything beyond discovery.
 */
export function credentialUser(cred: Credential): UserInfo | undefined {
  switch (cred.role) {
    case "admin":
      return { username: `flotilla:admin:${cred.id}`, uid: cred.id, groups: [ADMINS_GROUP, AUTHENTICATED_GROUP] };
    case "view":
      return { username: `flotilla:view:${cred.id}`, uid: cred.id, groups: [VIEWERS_GROUP, AUTHENTICATED_GROUP] };
    // A shared-access user: the owner named it and chose its groups; RBAC bindings to either decide.
    case "user":
      return cred.subject
        ? { username: cred.subject, uid: cred.id, groups: [...cred.groups, AUTHENTICATED_GROUP] }
        : undefined;
    case "node":
      return cred.subject
        ? { username: `system:node:${cred.subject}`, groups: [NODES_GROUP, AUTHENTICATED_GROUP] }
        : undefined;
    default:
      return undefined;
  }
}

/** The cluster credentials (admin, view, node tokens) as a TokenAuthenticator. */
export function clusterCredentialAuthenticator(credentials: Credentials): TokenAuthenticator {
  return async (token, now) => {
    const cred = await credentials.verify(token, now);
    return cred ? credentialUser(cred) : undefined;
  };
}

/** Tries each authenticator in turn; the first to know the token decides. */
export function authenticationChain(authenticators: readonly TokenAuthenticator[]): TokenAuthenticator {
  return async (token, now) => {
    if (!token) return undefined;
    for (const authenticate of authenticators) {
      const user = await authenticate(token, now).catch(() => undefined);
      if (user) return user;
    }
    return undefined;
  };
}

/** The bearer token of an Authorization header ("" when there is none). */
export function bearerToken(header: string | null | undefined): string {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return match ? match[1].trim() : "";
}
