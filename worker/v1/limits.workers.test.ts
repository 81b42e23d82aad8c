// Per-plan limits: each one refuses with a clear Kubernetes (or /v1) error and leaves existing
// objects intact; one tenant's flood does not touch another tenant's error rate.
import { describe, expect, it } from "vitest";
import { call, configMap, createCluster, kube, signup, usePlan } from "../testing/tenants.ts";

const NS = "/api/v1/namespaces/default";
const pod = (name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers: [{ name: "c", image: "busybox" }] },
});
const node = (name: string) => ({ apiVersion: "v1", kind: "Node", metadata: { name } });
const names = (body: { items: { metadata: { name: string } }[] }) => body.items.map((i) => i.metadata.name);

async function clusterOnPlan(limits: Parameters<typeof usePlan>[1]) {
  const tenant = await signup();
  const plan = await usePlan(tenant, limits);
  const cluster = await createCluster(tenant);
  const api = (method: string, path: string, body?: unknown) =>
    kube(cluster.id, cluster.adminToken, method, path, body);
  const usage = async () => (await call("GET", `/v1/clusters/${cluster.id}`, { token: tenant.token })).body.usage;
  return { tenant, plan, cluster, api, usage };
}

function expectQuota(
  res: { status: number; body: { reason: string; message: string } },
  counted: string,
  plan: string,
) {
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body.reason).toBe("Forbidden");
  expect(res.body.message).toContain(`exceeded quota: flotilla-plan-${plan}`);
  expect(res.body.message).toMatch(
    new RegExp(`requested: ${counted}=\\d+, used: ${counted}=\\d+, limited: ${counted}=\\d+`),
  );
  expect(res.body.message).toContain(`the "${plan}" plan allows`);
}

describe("per-plan limits inside the cluster", () => {
  it("pods: the plan's count, then 403; the existing pods stay", async () => {
    const { api, plan } = await clusterOnPlan({ pods: 2 });
    for (const n of ["p1", "p2"]) expect((await api("POST", `${NS}/pods`, pod(n))).status).toBe(201);
    const third = await api("POST", `${NS}/pods`, pod("p3"));
    expectQuota(third, "pods", plan);
    expect(third.body.message).toMatch(/^pods "p3" is forbidden: exceeded quota/);
    expect(third.body.message).toContain("requested: pods=1, used: pods=2, limited: pods=2");
    expect(names((await api("GET", `${NS}/pods`)).body)).toEqual(["p1", "p2"]);
    // Deleting one makes room again.
    expect((await api("DELETE", `${NS}/pods/p1?gracePeriodSeconds=0`)).status).toBe(200);
    expect((await api("POST", `${NS}/pods`, pod("p3"))).status).toBe(201);
  });

  it("nodes: the plan's count, then 403", async () => {
    const { api, plan } = await clusterOnPlan({ nodes: 1 });
    expect((await api("POST", "/api/v1/nodes", node("n1"))).status).toBe(201);
    expectQuota(await api("POST", "/api/v1/nodes", node("n2")), "nodes", plan);
    expect(names((await api("GET", "/api/v1/nodes")).body)).toEqual(["n1"]);
  });

  it("objects: all kinds counted together, then 403; dry runs are checked too", async () => {
    const probe = await clusterOnPlan({});
    const base = (await probe.usage()).objects;
    const { api, plan } = await clusterOnPlan({ objects: base + 2 });
    expect((await api("POST", `${NS}/configmaps`, configMap("a"))).status).toBe(201);
    expect(
      (await api("POST", `${NS}/secrets`, { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } })).status,
    ).toBe(201);
    expectQuota(await api("POST", `${NS}/configmaps`, configMap("b")), "count/objects", plan);
    expectQuota(await api("POST", `${NS}/configmaps?dryRun=All`, configMap("b")), "count/objects", plan);
    expect(names((await api("GET", `${NS}/configmaps`)).body)).toEqual(["a", "kube-root-ca.crt"]);
  });

  it("stored bytes: creates beyond the plan are refused, as are writes once it is full; deletes still work", async () => {
    const probe = await clusterOnPlan({});
    const base = (await probe.usage()).storedBytes;
    const { api, plan, usage } = await clusterOnPlan({ storedBytes: base + 5000 });
    const big = (name: string) => configMap(name, { blob: "x".repeat(3000) });
    expect((await api("POST", `${NS}/configmaps`, big("one"))).status).toBe(201);
    const second = await api("POST", `${NS}/configmaps`, big("two"));
    expectQuota(second, "storage/bytes", plan);
    // Fill it to the brim with an update, then every write but a delete is refused.
    const current = (await api("GET", `${NS}/configmaps/one`)).body;
    current.data.blob = "y".repeat(6000);
    expect((await api("PUT", `${NS}/configmaps/one`, current)).status).toBe(200);
    expect((await usage()).storedBytes).toBeGreaterThan(base + 5000);
    expectQuota(await api("POST", `${NS}/configmaps`, configMap("tiny")), "storage/bytes", plan);
    expect((await api("GET", `${NS}/configmaps/one`)).body.data.blob).toBe("y".repeat(6000));
    expect((await api("DELETE", `${NS}/configmaps/one`)).status).toBe(200);
    expect((await api("POST", `${NS}/configmaps`, configMap("tiny"))).status).toBe(201);
  });

  it("request rate: 429 with Retry-After for the flooding tenant only", async () => {
    const flood = await clusterOnPlan({ requestsPerSecond: 5 });
    const calm = await clusterOnPlan({ requestsPerSecond: 5 });
    const floodResults: number[] = [];
    const calmResults: number[] = [];
    let retryAfter: string | null = null;
    let message = "";
    for (let i = 0; i < 40; i++) {
      const res = await flood.api("GET", `${NS}/configmaps`);
      floodResults.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        message = res.body.message;
        expect(res.body).toMatchObject({ kind: "Status", reason: "TooManyRequests", code: 429 });
      }
      if (i % 8 === 0) calmResults.push((await calm.api("GET", `${NS}/configmaps`)).status);
    }
    expect(floodResults.filter((s) => s === 429).length).toBeGreaterThan(20);
    expect(floodResults.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(message).toMatch(new RegExp(`the "${flood.plan}" plan allows 5 requests per second`));
    expect(calmResults.every((s) => s === 200)).toBe(true);
    // The flood's objects are intact, and it recovers once the rate drops.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await flood.api("GET", `${NS}/configmaps`)).status).toBe(200);
  });

  it("usage and limits are shown by GET /v1/clusters/:id", async () => {
    const { api, tenant, cluster, plan } = await clusterOnPlan({ pods: 7 });
    await api("POST", `${NS}/pods`, pod("p"));
    const res = await call("GET", `/v1/clusters/${cluster.id}`, { token: tenant.token });
    expect(res.body.plan).toBe(plan);
    expect(res.body.limits.pods).toBe(7);
    expect(res.body.usage.pods).toBe(1);
    expect(res.body.usage.objects).toBeGreaterThan(5);
  });
});

describe("per-account limits", () => {
  it("clusters per account: 403 quota_exceeded naming the plan; deleting one makes room", async () => {
    const tenant = await signup();
    const plan = await usePlan(tenant, { maxClusters: 2 });
    const first = await createCluster(tenant, "one");
    await createCluster(tenant, "two");
    const third = await call("POST", "/v1/clusters", { token: tenant.token, body: { name: "three" } });
    expect(third.status).toBe(403);
    expect(third.body.error.code).toBe("quota_exceeded");
    expect(third.body.error.message).toBe(
      `the "${plan}" plan allows 2 clusters per account; delete one before creating another`,
    );
    expect((await call("GET", "/v1/clusters", { token: tenant.token })).body.items).toHaveLength(2);
    await call("DELETE", `/v1/clusters/${first.id}`, { token: tenant.token });
    expect((await call("POST", "/v1/clusters", { token: tenant.token, body: { name: "three" } })).status).toBe(201);
  });

  it("cluster names are unique per account (409), free across accounts", async () => {
    const [x, y] = await Promise.all([signup(), signup()]);
    await createCluster(x, "same");
    const again = await call("POST", "/v1/clusters", { token: x.token, body: { name: "same" } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", field: "name" });
    expect((await call("POST", "/v1/clusters", { token: y.token, body: { name: "same" } })).status).toBe(201);
  });
});
