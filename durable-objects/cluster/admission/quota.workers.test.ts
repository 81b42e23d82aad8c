// ResourceQuota and LimitRange admission through the Worker: upstream's refusals (403 with their exact
// wording), a refused create changes nothing, the quota controller's status, LimitRange defaults.
import { describe, expect, it } from "vitest";
import { NS, until } from "../controllers/workers-helpers.ts";
import { type ClusterClient, newCluster, pod } from "../testing/cluster-client.ts";

const quota = (name: string, hard: Record<string, string>, spec: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name },
  spec: { hard, ...spec },
});

const withResources = (name: string, resources: Record<string, Record<string, string>>) =>
  pod(name, {}, { spec: { containers: [{ name: "main", image: "busybox:stable", resources }] } });

async function podCount(c: ClusterClient): Promise<number> {
  return (await c.request("GET", `${NS}/pods`)).body.items.length;
}

async function quotaStatus(c: ClusterClient, name: string, want: (used: Record<string, string>) => boolean) {
  return until(async () => {
    const s = (await c.request("GET", `${NS}/resourcequotas/${name}`)).body.status;
    return s?.used && want(s.used) ? s : undefined;
  }, `quota ${name} status`);
}

describe("ResourceQuota admission", () => {
  it("refuses the third pod under pods=2 with upstream's message, counts in status, lets one in after a delete", async () => {
    const c = await newCluster();
    expect((await c.request("POST", `${NS}/resourcequotas`, quota("q", { pods: "2" }))).status).toBe(201);
    for (const name of ["a", "b"]) expect((await c.request("POST", `${NS}/pods`, pod(name))).status).toBe(201);
    const third = await c.request("POST", `${NS}/pods`, pod("c"));
    expect(third.status).toBe(403);
    expect(third.body).toMatchObject({
      kind: "Status",
      reason: "Forbidden",
      code: 403,
      message: 'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    });
    expect(await podCount(c)).toBe(2);
    const status = await quotaStatus(c, "q", (u) => u.pods === "2");
    expect(status.hard).toEqual({ pods: "2" });

    expect((await c.request("DELETE", `${NS}/pods/a?gracePeriodSeconds=0`)).status).toBe(200);
    await until(async () => ((await c.request("GET", `${NS}/pods/a`)).status === 404 ? true : undefined), "a gone");
    expect((await c.request("POST", `${NS}/pods`, pod("c"))).status).toBe(201);
  });

  it("counts object kinds by count/<resource> and services, and dry runs are refused the same", async () => {
    const c = await newCluster();
    await c.request("POST", `${NS}/resourcequotas`, quota("objects", { "count/configmaps": "1", services: "1" }));
    const cm = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name } });
    // The namespace's kube-root-ca.crt, if published, already counts: fill up to the limit whatever it holds.
    const existing = (await c.request("GET", `${NS}/configmaps`)).body.items.length;
    if (existing === 0) expect((await c.request("POST", `${NS}/configmaps`, cm("one"))).status).toBe(201);
    const over = await c.request("POST", `${NS}/configmaps?dryRun=All`, cm("two"));
    expect(over.status).toBe(403);
    expect(over.body.message).toBe(
      'configmaps "two" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1',
    );
    const svc = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { ports: [{ port: 80 }] },
    };
    // default holds the `kubernetes` Service already.
    const refused = await c.request("POST", `${NS}/services`, svc);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      'services "web" is forbidden: exceeded quota: objects, requested: services=1, used: services=1, limited: services=1',
    );
    expect((await c.request("GET", `${NS}/services/web`)).status).toBe(404);
  });

  it("a compute quota refuses a pod without requests and sums requests of those it admits", async () => {
    const c = await newCluster();
    await c.request("POST", `${NS}/resourcequotas`, quota("compute", { "requests.cpu": "1", "limits.memory": "1Gi" }));
    const bare = await c.request("POST", `${NS}/pods`, pod("bare"));
    expect(bare.status).toBe(403);
    expect(bare.body.message).toBe(
      'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: main; requests.cpu for: main',
    );
    const ok = withResources("ok", { requests: { cpu: "600m" }, limits: { memory: "512Mi" } });
    expect((await c.request("POST", `${NS}/pods`, ok)).status).toBe(201);
    const big = withResources("big", { requests: { cpu: "500m" }, limits: { memory: "256Mi" } });
    const refused = await c.request("POST", `${NS}/pods`, big);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      'pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1',
    );
    await quotaStatus(c, "compute", (u) => u["requests.cpu"] === "600m" && u["limits.memory"] === "512Mi");
  });

  it("scopes: a BestEffort quota counts only pods without any requests or limits", async () => {
    const c = await newCluster();
    await c.request("POST", `${NS}/resourcequotas`, quota("be", { pods: "1" }, { scopes: ["BestEffort"] }));
    expect((await c.request("POST", `${NS}/pods`, pod("be-1"))).status).toBe(201);
    expect((await c.request("POST", `${NS}/pods`, pod("be-2"))).status).toBe(403);
    const sized = withResources("sized", { requests: { cpu: "100m" } });
    expect((await c.request("POST", `${NS}/pods`, sized)).status).toBe(201);
  });

  it("refuses bad quotas with 422 and field paths", async () => {
    const c = await newCluster();
    const res = await c.request("POST", `${NS}/resourcequotas`, quota("bad", { pods: "-1", "requests.cpu": "lots" }));
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe("Invalid");
    const fields = (res.body.details.causes as { field: string }[]).map((x) => x.field);
    expect(fields).toEqual(expect.arrayContaining(["spec.hard[pods]", "spec.hard[requests.cpu]"]));
  });
});

describe("LimitRange admission", () => {
  const limits = {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "mem" },
    spec: {
      limits: [
        {
          type: "Container",
          default: { memory: "512Mi" },
          defaultRequest: { memory: "256Mi" },
          max: { memory: "1Gi" },
        },
      ],
    },
  };

  it("fills default requests and limits and notes it in the annotation", async () => {
    const c = await newCluster();
    expect((await c.request("POST", `${NS}/limitranges`, limits)).status).toBe(201);
    const res = await c.request("POST", `${NS}/pods`, pod("d"));
    expect(res.status).toBe(201);
    expect(res.body.spec.containers[0].resources).toEqual({
      limits: { memory: "512Mi" },
      requests: { memory: "256Mi" },
    });
    expect(res.body.metadata.annotations["kubernetes.io/limit-ranger"]).toBe(
      "LimitRanger plugin set: memory request for container main; memory limit for container main",
    );
  });

  it("refuses a container over max with upstream's message, and nothing is stored", async () => {
    const c = await newCluster();
    await c.request("POST", `${NS}/limitranges`, limits);
    const res = await c.request("POST", `${NS}/pods`, withResources("huge", { limits: { memory: "2Gi" } }));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'pods "huge" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi',
    );
    expect((await c.request("GET", `${NS}/pods/huge`)).status).toBe(404);
  });
});
