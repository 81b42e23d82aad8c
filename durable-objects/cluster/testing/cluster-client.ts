// For workers tests: a fresh cluster behind the real Worker, and a small client that speaks
// to its Kubernetes API the way kubectl does.
import { exports } from "cloudflare:workers";

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read field by field, untyped on purpose
type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ClusterClient {
  id: string;
  token: string;
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

export async function newCluster(): Promise<ClusterClient> {
  const id = randomId();
  const token = `${randomId()}${randomId()}`;
  const res = await worker().fetch("https://flotilla.test/__local/bootstrap", {
    method: "POST",
    body: JSON.stringify({ clusterId: id, adminToken: token }),
  });
  if (res.status !== 200) throw new Error(`bootstrap failed: ${res.status} ${await res.text()}`);
  const raw = (method: string, path: string, init: RequestInit = {}) =>
    worker().fetch(`https://flotilla.test/clusters/${id}${path}`, {
      ...init,
      method,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
  return {
    id,
    token,
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
