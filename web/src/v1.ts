// The public /v1 API (docs/api.md) as the dashboard uses it.
import type { SharedUser } from "./access.ts";
import { failureOf, RequestError } from "./errors.ts";

export interface Account {
  id: string;
  email: string;
  plan: string;
}

export interface ClusterSummary {
  id: string;
  name: string;
  plan: string;
  server: string;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number | null;
}

export interface ClusterDetail extends ClusterSummary {
  usage?: { nodes: number; pods: number; objects: number; storedBytes: number };
}

export interface CreatedCluster extends ClusterSummary {
  kubeconfig: string;
  adminToken: string;
}

/** A 401 on /v1 with a token we had: the session expired or was revoked. */
export class SessionExpired extends RequestError {
  constructor() {
    super(401, "Your session has expired. Please log in again.");
  }
}

async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401 && token) throw new SessionExpired();
  if (!res.ok) throw await failureOf(res);
  return (await res.json()) as T;
}

type Auth = { account: Account; token: string };

export const v1 = {
  signup: (email: string, password: string) => call<Auth>("POST", "/v1/signup", undefined, { email, password }),
  login: (email: string, password: string) => call<Auth>("POST", "/v1/login", undefined, { email, password }),
  logout: (token: string) => call<unknown>("POST", "/v1/logout", token),
  clusters: (token: string) => call<{ items: ClusterSummary[] }>("GET", "/v1/clusters", token),
  cluster: (token: string, id: string) => call<ClusterDetail>("GET", `/v1/clusters/${id}`, token),
  createCluster: (token: string, name: string) => call<CreatedCluster>("POST", "/v1/clusters", token, { name }),
  deleteCluster: (token: string, id: string) => call<unknown>("DELETE", `/v1/clusters/${id}`, token),
  joinToken: (token: string, id: string) =>
    call<{ token: string; expiresAt: number | null }>("POST", `/v1/clusters/${id}/tokens`, token, {
      role: "join",
      ttlSeconds: 3600,
    }),
  users: (token: string, id: string) => call<{ items: SharedUser[] }>("GET", `/v1/clusters/${id}/users`, token),
  createUser: (token: string, id: string, username: string, groups: string[]) =>
    call<SharedUser & { kubeconfig: string }>("POST", `/v1/clusters/${id}/users`, token, { username, groups }),
  revokeUser: (token: string, id: string, userId: string) =>
    call<unknown>("DELETE", `/v1/clusters/${id}/users/${encodeURIComponent(userId)}`, token),
  kubeconfig: (token: string, id: string) =>
    call<{ kubeconfig: string }>("POST", `/v1/clusters/${id}/kubeconfig`, token, { role: "admin" }),
};
