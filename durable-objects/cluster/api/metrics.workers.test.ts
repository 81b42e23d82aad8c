// The resource metrics API behind the real Worker: nodes join with a join token, report usage with a sync,
// and the usage is served as metrics.k8s.io NodeMetrics and PodMetrics (memory only: no revision moves).
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { JoinRequest, MetricsReport, SyncRequest } from "../../../kube/agent-protocol.ts";
import { syncRequest } from "../nodes/testing.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;
const hex = () => [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await worker().fetch(`https://flotilla.test${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, text };
}

interface Cluster {
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): ReturnType<typeof call>;
  agent(path: string, token: string, body: unknown): ReturnType<typeof call>;
  joinToken: string;
}

/** Sign-up and a cluster, keeping its join token (the shared test client keeps only the admin token). */
async function newClusterWithJoinToken(): Promise<Cluster> {
  const ip = `10.${[...crypto.getRandomValues(new Uint8Array(3))].join(".")}`;
  const signup = await call(
    "POST",
    "/v1/signup",
    "",
    { email: `m-${hex()}@flotilla.test`, password: `pw-${hex()}` },
    {
      "cf-connecting-ip": ip,
    },
  );
  const created = await call("POST", "/v1/clusters", signup.body.token, { name: "metrics" });
  expect(created.status, created.text).toBe(201);
  const base = `/clusters/${created.body.id}`;
  return {
    api: (method, path, body, headers) => call(method, `${base}${path}`, created.body.adminToken, body, headers),
    agent: (path, token, body) => call("POST", `${base}${path}`, token, body),
    joinToken: created.body.joinToken,
  };
}

const joinRequest = (nodeName: string): JoinRequest => ({
  nodeName,
  capacity: { cpu: "2", memory: "4Gi", pods: "110" },
  allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
  nodeInfo: { operatingSystem: "linux", architecture: "amd64" } as JoinRequest["nodeInfo"],
  addresses: [{ type: "InternalIP", address: "10.0.0.5" }],
  labels: { tier: nodeName === "n1" ? "front" : "back" },
});

const sync = (nodeName: string, metrics: MetricsReport): SyncRequest => syncRequest(nodeName, { metrics });

const NS = "/api/v1/namespaces/default";
const M = "/apis/metrics.k8s.io/v1beta1";

describe("metrics.k8s.io", () => {
  let c: Cluster;
  const creds: Record<string, string> = {};
  const uids: Record<string, string> = {};
  const measured = new Date(Date.now() - 2000).toISOString().replace(/\.\d+Z$/, "Z");

  /** A pod bound to `node`, Running as its kubelet would report. */
  async function runningPod(name: string, node: string, labels: Record<string, string>) {
    const created = await c.api("POST", `${NS}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, labels },
      spec: {
        nodeName: node,
        containers: [
          { name: "main", image: "nginx" },
          { name: "side", image: "busybox" },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    const status = await c.api("PUT", `${NS}/pods/${name}/status`, { ...created.body, status: { phase: "Running" } });
    expect(status.status, status.text).toBe(200);
    uids[name] = created.body.metadata.uid;
  }

  const podUsage = (name: string, cpu: number) => ({
    uid: uids[name],
    namespace: "default",
    name,
    containers: [
      { name: "main", cpuNanoCores: cpu, memoryBytes: 64 * 2 ** 20 },
      { name: "side", cpuNanoCores: 123456, memoryBytes: 1_234_567 },
    ],
  });

  beforeAll(async () => {
    c = await newClusterWithJoinToken();
    for (const node of ["n1", "n2"]) {
      const joined = await c.agent("/agent/join", c.joinToken, joinRequest(node));
      expect(joined.status, joined.text).toBe(201);
      creds[node] = joined.body.nodeCredential;
    }
    await runningPod("web", "n1", { app: "web" });
    await runningPod("api", "n1", { app: "api" });
    await runningPod("other", "n2", { app: "web" });
  });

  it("a sync's usage is served without writing anything; a node cannot speak for another node's pod", async () => {
    const before = (await c.api("GET", `${NS}/pods`)).body.metadata.resourceVersion;
    const report: MetricsReport = {
      timestamp: measured,
      windowSeconds: 10.039,
      node: { cpuNanoCores: 1_500_000_000, memoryBytes: 3 * 2 ** 30 },
      pods: [podUsage("web", 250_000_000), podUsage("api", 5_000_000), podUsage("other", 999_000_000)],
    };
    const res = await c.agent("/agent/sync", creds.n1, sync("n1", report));
    expect(res.status, res.text).toBe(200);
    expect((await c.api("GET", `${NS}/pods`)).body.metadata.resourceVersion).toBe(before);

    const nodes = await c.api("GET", `${M}/nodes`);
    expect(nodes.status, nodes.text).toBe(200);
    expect(nodes.body).toMatchObject({ kind: "NodeMetricsList", apiVersion: "metrics.k8s.io/v1beta1" });
    expect(nodes.body.items).toHaveLength(1);
    expect(nodes.body.items[0]).toMatchObject({
      metadata: { name: "n1", labels: { tier: "front" } },
      timestamp: measured,
      window: "10.039s",
      usage: { cpu: "1500m", memory: "3Gi" },
    });

    const pods = await c.api("GET", `${M}/namespaces/default/pods`);
    expect(pods.body.kind).toBe("PodMetricsList");
    expect(pods.body.items.map((p: Json) => p.metadata.name)).toEqual(["api", "web"]);
    expect(pods.body.items[1]).toMatchObject({
      metadata: { name: "web", namespace: "default", labels: { app: "web" } },
      window: "10.039s",
      containers: [
        { name: "main", usage: { cpu: "250m", memory: "64Mi" } },
        { name: "side", usage: { cpu: "123456n", memory: "1234567" } },
      ],
    });
    const other = await c.api("GET", `${M}/namespaces/default/pods/other`);
    expect(other.status).toBe(404);
    expect(other.body.message).toBe('podmetrics.metrics.k8s.io "default/other" not found');
  });

  it("get, all namespaces, label selectors and not-found answers", async () => {
    const web = await c.api("GET", `${M}/namespaces/default/pods/web`);
    expect(web.body).toMatchObject({ kind: "PodMetrics", apiVersion: "metrics.k8s.io/v1beta1" });
    const n1 = await c.api("GET", `${M}/nodes/n1`);
    expect(n1.body).toMatchObject({ kind: "NodeMetrics", metadata: { name: "n1" } });

    const selected = await c.api("GET", `${M}/pods?labelSelector=${encodeURIComponent("app=web")}`);
    expect(selected.body.items.map((p: Json) => p.metadata.name)).toEqual(["web"]);
    expect((await c.api("GET", `${M}/nodes?labelSelector=tier%3Dback`)).body.items).toEqual([]);
    expect((await c.api("GET", `${M}/namespaces/kube-system/pods`)).body.items).toEqual([]);

    const cases: [string, string][] = [
      [`${M}/nodes/n2`, 'nodemetrics.metrics.k8s.io "n2" not found'],
      [`${M}/nodes/ghost`, 'node "ghost" not found'],
      [`${M}/namespaces/default/pods/ghost`, 'pods "ghost" not found'],
    ];
    for (const [path, message] of cases) {
      const res = await c.api("GET", path);
      expect([res.status, res.body.reason, res.body.message]).toEqual([404, "NotFound", message]);
    }
    expect((await c.api("DELETE", `${M}/nodes/n1`)).status).toBe(405);
  });

  it("serves Tables with metrics-server's columns (kubectl get podmetrics)", async () => {
    const accept = { accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" };
    const table = await c.api("GET", `${M}/namespaces/default/pods`, undefined, accept);
    expect(table.body.kind).toBe("Table");
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual(["Name", "cpu", "memory", "Window"]);
    // web: 250m + 123456n of CPU, 64Mi + 1234567 bytes
    expect(table.body.rows.map((r: Json) => r.cells)).toEqual([
      ["api", "5123456n", "68343431", "10.039s"],
      ["web", "250123456n", "68343431", "10.039s"],
    ]);
    const empty = await c.api("GET", `${M}/namespaces/kube-system/pods`, undefined, accept);
    expect([empty.body.columnDefinitions, empty.body.rows]).toEqual([[], []]);
  });

  it("a node credential cannot report as another node", async () => {
    const report: MetricsReport = {
      timestamp: measured,
      windowSeconds: 10,
      node: { cpuNanoCores: 1, memoryBytes: 1 },
      pods: [],
    };
    const res = await c.agent("/agent/sync", creds.n1, sync("n2", report));
    expect(res.status).toBe(403);
    expect((await c.api("GET", `${M}/nodes/n2`)).status).toBe(404);
  });

  it("discovery lists the group, its resources and the aggregated entry", async () => {
    const groups = await c.api("GET", "/apis");
    expect(groups.body.groups).toContainEqual({
      name: "metrics.k8s.io",
      versions: [{ groupVersion: "metrics.k8s.io/v1beta1", version: "v1beta1" }],
      preferredVersion: { groupVersion: "metrics.k8s.io/v1beta1", version: "v1beta1" },
    });
    expect((await c.api("GET", "/apis/metrics.k8s.io")).body).toMatchObject({
      kind: "APIGroup",
      name: "metrics.k8s.io",
    });
    const list = await c.api("GET", M);
    expect(list.body.resources).toEqual([
      { name: "nodes", singularName: "node", namespaced: false, kind: "NodeMetrics", verbs: ["get", "list"] },
      { name: "pods", singularName: "pod", namespaced: true, kind: "PodMetrics", verbs: ["get", "list"] },
    ]);
    const aggregated = await c.api("GET", "/apis", undefined, {
      accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
    });
    const item = aggregated.body.items.find((i: Json) => i.metadata.name === "metrics.k8s.io");
    expect(item.versions[0].resources.map((r: Json) => [r.resource, r.scope, r.responseKind.kind])).toEqual([
      ["nodes", "Cluster", "NodeMetrics"],
      ["pods", "Namespaced", "PodMetrics"],
    ]);
  });
});
