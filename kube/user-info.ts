// Who a request is from, once authenticated: authentication.k8s.io/v1 UserInfo, as every authenticator
// (cluster tokens, shared-access users, ServiceAccount JWTs, nodes) produces it and the authorizer,
// impersonation, the access reviews and `kubectl auth whoami` read it.
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** Verifies a bearer token; undefined when the token is not this authenticator's or is not valid. */
export type TokenAuthenticator = (token: string, now: number) => Promise<UserInfo | undefined>;

export const AUTHENTICATED_GROUP = "system:authenticated";
export const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
export const SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

/** UserInfo of a ServiceAccount, as upstream's serviceaccount.UserInfo builds it. */
export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return {
    username: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`,
    ...(uid ? { uid } : {}),
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`, AUTHENTICATED_GROUP],
  };
}
