// The cluster's Kubernetes API as the dashboard calls it: same paths and verbs as kubectl, with the
// cluster admin token. Errors carry the Status message the server wrote.
import type { KubeList, KubeObject, WatchEvent } from "../../kube/types.ts";
import { failureOf, RequestError } from "./errors.ts";
import { LineSplitter } from "./watch.ts";

export const FIELD_MANAGER = "flotilla-dashboard";

export class ClusterApi {
  constructor(
    readonly clusterId: string,
    readonly token: string,
  ) {}

  url(path: string): string {
    return `/clusters/${this.clusterId}${path}`;
  }

  async request(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${this.token}`);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    const res = await fetch(this.url(path), { ...init, method, headers });
    if (!res.ok) throw await failureOf(res);
    return res;
  }

  async json<T>(method: string, path: string, init?: RequestInit): Promise<T> {
    return (await (await this.request(method, path, init)).json()) as T;
  }

  list(path: string, signal?: AbortSignal): Promise<KubeList> {
    return this.json<KubeList>("GET", path, { signal });
  }

  /** Streams watch events until the server ends the response or `signal` aborts. */
  async watch(path: string, resourceVersion: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal) {
    const sep = path.includes("?") ? "&" : "?";
    const query = `watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion)}`;
    const res = await this.request("GET", `${path}${sep}${query}`, { signal });
    const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (!reader) return;
    const lines = new LineSplitter();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const line of lines.push(value)) onEvent(JSON.parse(line) as WatchEvent);
    }
  }

  /** Server-side apply of one object (PATCH application/apply-patch+yaml; JSON is YAML). */
  apply(path: string, obj: unknown): Promise<KubeObject> {
    return this.json<KubeObject>("PATCH", `${path}?fieldManager=${FIELD_MANAGER}&fieldValidation=Strict`, {
      headers: { "content-type": "application/apply-patch+yaml" },
      body: JSON.stringify(obj),
    });
  }

  /** Sets replicas through the scale subresource, as `kubectl scale` does. */
  scale(path: string, replicas: number): Promise<KubeObject> {
    return this.json<KubeObject>("PATCH", `${path}/scale?fieldManager=${FIELD_MANAGER}`, {
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { replicas } }),
    });
  }

  delete(path: string): Promise<unknown> {
    return this.json("DELETE", path, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" }),
    });
  }
}

/** The API path of a namespaced or cluster-scoped object. */
export function objectPath(base: string, resource: string, name: string, namespace?: string): string {
  return namespace ? `${base}/namespaces/${namespace}/${resource}/${name}` : `${base}/${resource}/${name}`;
}

export function isGone(err: unknown): boolean {
  return err instanceof RequestError && err.status === 410;
}
