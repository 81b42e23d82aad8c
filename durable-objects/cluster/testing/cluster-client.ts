// For workers tests: a fresh cluster behind the real Worker, and a small client that speaks
// to its Kubernetes API the way kubectl does.
import { exports } from "cloudflare:workers";
import type { AnyJson as Json } from "../../../kube/types.ts";

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ClusterClient {
  id: string;
  token: string;
  /** The cluster's join token, for tests that join nodes as agents do. */
  joinToken: string;
  request<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  raw(method: string, path: string, init?: RequestInit): Promise<Response>;
}

function randomId(): string {
  return [...crypto.getRandomValues(new Uint8Array(10))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const worker = () => (exports as unknown as { default: Fetcher }).default;

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const res = await worker().fetch(`https://flotilla.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${path} failed: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** A cluster made the way users make one: sign up (a fresh account and address each time), then create. */
export async function newCluster(): Promise<ClusterClient> {
  // Each call its own client address: sign-ups are limited per address per hour.
  const address = `10.${[...crypto.getRandomValues(new Uint8Array(3))].join(".")}`;
  const signup = await postJson(
    "/v1/signup",
    { email: `test-${randomId()}@flotilla.test`, password: `pw-${randomId()}` },
    { "cf-connecting-ip": address },
  );
  const created = await postJson("/v1/clusters", { name: "test" }, { authorization: `Bearer ${signup.token}` });
  const id: string = created.id;
  const token: string = created.adminToken;
  const raw = (method: string, path: string, init: RequestInit = {}) =>
    worker().fetch(`https://flotilla.test/clusters/${id}${path}`, {
      ...init,
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
  return {
    id,
    token,
    joinToken: created.joinToken,
    raw,
    async request(method, path, body, headers = {}) {
      const init: RequestInit = { headers: { "content-type": "application/json", ...headers } };
      if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
      const res = await raw(method, path, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: res.status, headers: res.headers, body: parsed as never, text };
    },
  };
}

export function pod(name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: { containers: [{ name: "main", image: "nginx:1.27" }] },
    ...extra,
  };
}
