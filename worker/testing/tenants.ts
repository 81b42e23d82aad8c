// For workers tests of the public API: tenants made through /v1 (sign-up, clusters), calls to
// /v1 and to a cluster's Kubernetes API, and plans written straight into D1.
import { env, exports } from "cloudflare:workers";
import type { AnyJson as Json } from "../../kube/types.ts";

export interface Reply {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

export const BASE = "https://flotilla.test";

const worker = () => (exports as unknown as { default: Fetcher }).default;
export const db = () => (env as unknown as { DB: D1Database }).DB;

export function randomHex(bytes = 8): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A client address of its own, so per-address sign-up limits never couple tests. */
export function randomAddress(): string {
  return `10.${[...crypto.getRandomValues(new Uint8Array(3))].join(".")}`;
}

export async function call(
  method: string,
  path: string,
  init: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let body: BodyInit | undefined;
  if (init.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body =
      typeof init.body === "string" || init.body instanceof Uint8Array || init.body instanceof ReadableStream
        ? (init.body as BodyInit)
        : JSON.stringify(init.body);
  }
  const res = await worker().fetch(`${BASE}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export interface Tenant {
  accountId: string;
  email: string;
  password: string;
  token: string;
  address: string;
}

export async function signup(): Promise<Tenant> {
  const email = `t-${randomHex()}@flotilla.test`;
  const password = `pw-${randomHex(12)}`;
  const address = randomAddress();
  const res = await call("POST", "/v1/signup", { body: { email, password }, headers: { "cf-connecting-ip": address } });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${res.text}`);
  return { accountId: res.body.account.id, email, password, token: res.body.token, address };
}

export interface TenantCluster {
  id: string;
  name: string;
  adminToken: string;
  adminTokenId: string;
  joinToken: string;
  kubeconfig: string;
  created: Json;
}

export async function createCluster(tenant: Tenant, name = `c-${randomHex(3)}`): Promise<TenantCluster> {
  const res = await call("POST", "/v1/clusters", { body: { name }, token: tenant.token });
  if (res.status !== 201) throw new Error(`create cluster: ${res.status} ${res.text}`);
  const b = res.body;
  return {
    id: b.id,
    name,
    adminToken: b.adminToken,
    adminTokenId: b.adminTokenId,
    joinToken: b.joinToken,
    kubeconfig: b.kubeconfig,
    created: b,
  };
}

/** A request to a cluster's Kubernetes API (path relative to /clusters/<id>). */
/** Joins a node to the cluster as an agent does (small fixed capacity); answers its node credential. */
export async function joinNode(cluster: TenantCluster, nodeName = "n1"): Promise<string> {
  const join = await call("POST", `/clusters/${cluster.id}/agent/join`, {
    token: cluster.joinToken,
    body: {
      nodeName,
      capacity: { cpu: "2", memory: "2Gi", pods: "110" },
      allocatable: { cpu: "2", memory: "2Gi", pods: "110" },
      nodeInfo: { operatingSystem: "linux", architecture: "amd64" },
      addresses: [],
      labels: {},
    },
  });
  if (join.status !== 201) throw new Error(`join ${nodeName}: ${join.status} ${JSON.stringify(join.body)}`);
  return join.body.nodeCredential as string;
}

export function kube(
  clusterId: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  return call(method, `/clusters/${clusterId}${path}`, body === undefined ? { token } : { token, body });
}

export interface PlanLimits {
  maxClusters: number;
  nodes: number;
  pods: number;
  objects: number;
  storedBytes: number;
  requestsPerSecond: number;
  publicRequestsPerSecond: number;
  publicBodyBytes: number;
  idleTtlSeconds: number;
}

const GENEROUS: PlanLimits = {
  maxClusters: 10,
  nodes: 100,
  pods: 1000,
  objects: 10000,
  storedBytes: 100 * 1024 * 1024,
  requestsPerSecond: 10000,
  publicRequestsPerSecond: 10000,
  publicBodyBytes: 8 * 1024 * 1024,
  idleTtlSeconds: 0,
};

/** Puts the account on a new plan with these limits (for clusters created afterwards). */
export async function usePlan(tenant: Tenant, limits: Partial<PlanLimits>): Promise<string> {
  const p = { ...GENEROUS, ...limits };
  const id = `test-${randomHex(4)}`;
  await db()
    .prepare(
      "INSERT INTO plans (id, title, max_clusters, nodes, pods, objects, stored_bytes, requests_per_second, public_requests_per_second, public_body_bytes, idle_ttl_seconds) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )
    .bind(
      id,
      p.maxClusters,
      p.nodes,
      p.pods,
      p.objects,
      p.storedBytes,
      p.requestsPerSecond,
      p.publicRequestsPerSecond,
      p.publicBodyBytes,
      p.idleTtlSeconds,
    )
    .run();
  await db().prepare("UPDATE accounts SET plan = ?1 WHERE id = ?2").bind(id, tenant.accountId).run();
  return id;
}

export function configMap(name: string, data: Record<string, string> = {}) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data };
}
