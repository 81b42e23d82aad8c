import crypto from "node:crypto";
import { clusterOfToken } from "../../kube/cluster-of-token.ts";
import { readIfExists, writePrivateFile } from "./home.ts";
import { type HttpsResponse, httpsRequest } from "./https-client.ts";

/**
 * The demo account and cluster `npm start` makes through the public API (/v1), kept in
 * FLOTILLA_HOME (mode 0600) so the account, cluster id and token survive restarts.
 */
export interface DemoAccount {
  email: string;
  password: string;
  /** Set once the demo cluster exists. */
  clusterId?: string;
  adminToken?: string;
}

export interface DemoCluster {
  clusterId: string;
  adminToken: string;
  /** The demo account's token for /v1 (join tokens, more clusters). */
  accountToken: string;
}

export const DEMO_EMAIL = "demo@flotilla.local";
export const DEMO_CLUSTER_NAME = "demo";

export function newPassword(random: (n: number) => Buffer = crypto.randomBytes): string {
  return random(24).toString("base64url");
}

export function isDemoAccount(value: unknown): value is DemoAccount {
  if (typeof value !== "object" || value === null) return false;
  const { email, password, clusterId, adminToken } = value as Record<string, unknown>;
  if (typeof email !== "string" || !email.includes("@") || typeof password !== "string" || password.length < 10)
    return false;
  if (clusterId === undefined && adminToken === undefined) return true;
  return (
    typeof clusterId === "string" &&
    /^[a-z0-9]{1,63}$/.test(clusterId) &&
    typeof adminToken === "string" &&
    adminToken.length >= 16
  );
}

/** A file from before sign-up existed ({clusterId, adminToken} for the removed bootstrap route). */
function isLegacyFile(value: unknown): boolean {
  return typeof value === "object" && value !== null && !("email" in value) && "clusterId" in value;
}

/** Reads the demo account, creating (and saving) new credentials on first start. */
export function loadOrCreateDemoAccount(file: string): DemoAccount {
  const raw = readIfExists(file);
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (isDemoAccount(parsed)) return parsed;
    // Never silently replace credentials someone may still use: make them fix or delete the file.
    // The one exception is a file of the removed bootstrap route: its cluster can no longer be reached.
    if (!isLegacyFile(parsed))
      throw new Error(`${file} is not a valid demo account file; delete it to create a new demo account`);
  }
  const account: DemoAccount = { email: DEMO_EMAIL, password: newPassword() };
  saveDemoAccount(file, account);
  return account;
}

export function saveDemoAccount(file: string, account: DemoAccount): void {
  writePrivateFile(file, `${JSON.stringify(account, null, 2)}\n`);
}

function apiError(what: string, res: HttpsResponse): Error {
  return new Error(`${what} answered ${res.status}: ${res.body.slice(0, 500)}`);
}

async function call(baseUrl: string, caPem: string, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  return httpsRequest(new URL(path, baseUrl), {
    method,
    ca: caPem,
    // A cluster object waking with many objects loads them before it answers (100,000 pods: seconds).
    timeoutMs: 120_000,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Logs the demo account in, signing it up first if this server has never seen it. Returns an account token. */
export async function demoAccountToken(baseUrl: string, caPem: string, account: DemoAccount): Promise<string> {
  const credentials = { email: account.email, password: account.password };
  const login = await call(baseUrl, caPem, "POST", "/v1/login", credentials);
  if (login.status === 200) return JSON.parse(login.body).token;
  if (login.status !== 401) throw apiError("POST /v1/login", login);
  const signup = await call(baseUrl, caPem, "POST", "/v1/signup", credentials);
  if (signup.status !== 201) throw apiError("POST /v1/signup", signup);
  return JSON.parse(signup.body).token;
}

/**
 * The demo cluster: the saved one if the server still has it, otherwise a new one created
 * through POST /v1/clusters (and saved).
 */
export async function ensureDemoCluster(
  baseUrl: string,
  caPem: string,
  file: string,
  account: DemoAccount,
  settings?: Record<string, number>,
): Promise<DemoCluster> {
  const token = await demoAccountToken(baseUrl, caPem, account);
  if (account.clusterId && account.adminToken) {
    const res = await call(baseUrl, caPem, "GET", `/v1/clusters/${account.clusterId}`, undefined, token);
    if (res.status === 200) {
      if (clusterOfToken(account.adminToken) === account.clusterId)
        return { clusterId: account.clusterId, adminToken: account.adminToken, accountToken: token };
      // A token from before tokens named their cluster works only under /clusters/<id>; the kubeconfig
      // points at the server's root, so the demo cluster gets an admin token that names it.
      const adminToken = await createToken(baseUrl, caPem, token, account.clusterId, "admin");
      saveDemoAccount(file, { ...account, adminToken });
      return { clusterId: account.clusterId, adminToken, accountToken: token };
    }
    if (res.status !== 404) throw apiError(`GET /v1/clusters/${account.clusterId}`, res);
  }
  const body = settings ? { name: DEMO_CLUSTER_NAME, settings } : { name: DEMO_CLUSTER_NAME };
  const created = await call(baseUrl, caPem, "POST", "/v1/clusters", body, token);
  if (created.status !== 201) throw apiError("POST /v1/clusters", created);
  const { id, adminToken } = JSON.parse(created.body) as { id: string; adminToken: string };
  saveDemoAccount(file, { ...account, clusterId: id, adminToken });
  return { clusterId: id, adminToken, accountToken: token };
}

/** A join token for `flotilla agent`, from POST /v1/clusters/:id/tokens. */
export function createJoinToken(
  baseUrl: string,
  caPem: string,
  accountToken: string,
  clusterId: string,
  ttlSeconds = 3600,
): Promise<string> {
  return createToken(baseUrl, caPem, accountToken, clusterId, "join", ttlSeconds);
}

async function createToken(
  baseUrl: string,
  caPem: string,
  accountToken: string,
  clusterId: string,
  role: "join" | "admin",
  ttlSeconds?: number,
): Promise<string> {
  const path = `/v1/clusters/${clusterId}/tokens`;
  const res = await call(baseUrl, caPem, "POST", path, { role, ttlSeconds }, accountToken);
  if (res.status !== 201) throw apiError(`POST ${path}`, res);
  return (JSON.parse(res.body) as { token: string }).token;
}

export function clusterUrl(baseUrl: string, clusterId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/clusters/${clusterId}`;
}
