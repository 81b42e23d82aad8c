// Lists, selectors, pagination, tables and discovery, through the real Worker.
import { describe, expect, it } from "vitest";
import { newCluster, pod } from "../testing/cluster-client.ts";

const PODS = "/api/v1/namespaces/default/pods";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

async function seed() {
  const c = await newCluster();
  for (const [name, app, tier] of [
    ["a", "web", "front"],
    ["b", "web", "back"],
    ["c", "db", "back"],
    ["d", "cache", ""],
  ]) {
    const labels: Record<string, string> = { app };
    if (tier) labels.tier = tier;
    await c.request("POST", PODS, pod(name, labels));
  }
  return c;
}

const names = (body: { items: { metadata: { name: string } }[] }) => body.items.map((i) => i.metadata.name);

describe("list", () => {
  it.each([
    ["app=web", ["a", "b"]],
    ["app==web", ["a", "b"]],
    ["app!=web", ["c", "d"]],
    ["tier in (front,back)", ["a", "b", "c"]],
    ["tier notin (back)", ["a", "d"]],
    ["tier", ["a", "b", "c"]],
    ["!tier", ["d"]],
    ["app=web,tier=back", ["b"]],
  ])("labelSelector %s", async (selector, expected) => {
    const c = await seed();
    const res = await c.request("GET", `${PODS}?labelSelector=${encodeURIComponent(selector)}`);
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  it("rejects a malformed label selector with 400", async () => {
    const c = await seed();
    const res = await c.request("GET", `${PODS}?labelSelector=${encodeURIComponent("app in (web")}`);
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe("BadRequest");
  });

  it("filters by field selectors, including per-kind fields, and rejects unknown fields", async () => {
    const c = await seed();
    const byName = await c.request("GET", `${PODS}?fieldSelector=metadata.name%3Db`);
    expect(names(byName.body)).toEqual(["b"]);
    const pending = await c.request("GET", `/api/v1/pods?fieldSelector=status.phase%3DPending,metadata.name!%3Da`);
    expect(names(pending.body)).toEqual(["b", "c", "d"]);
    const unbound = await c.request("GET", `${PODS}?fieldSelector=spec.nodeName%3D`);
    expect(names(unbound.body)).toHaveLength(4);
    const bad = await c.request("GET", `${PODS}?fieldSelector=spec.bogus%3Dx`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("spec.bogus");
  });

  it("paginates with limit and continue at one resourceVersion", async () => {
    const c = await seed();
    const first = await c.request("GET", `${PODS}?limit=3`);
    expect(names(first.body)).toEqual(["a", "b", "c"]);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const token = first.body.metadata.continue;
    expect(token).toBeTruthy();
    const second = await c.request("GET", `${PODS}?limit=3&continue=${encodeURIComponent(token)}`);
    expect(names(second.body)).toEqual(["d"]);
    expect(second.body.metadata.continue).toBeUndefined();
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const bad = await c.request("GET", `${PODS}?limit=3&continue=garbage`);
    expect(bad.status).toBe(400);
  });

  it("serves server-side tables with upstream's pod columns", async () => {
    const c = await seed();
    const res = await c.request("GET", PODS, undefined, { accept: TABLE });
    expect(res.headers.get("content-type")).toContain("as=Table");
    expect(res.body.kind).toBe("Table");
    const columns = res.body.columnDefinitions.map((d: { name: string; priority: number }) => [d.name, d.priority]);
    expect(columns.slice(0, 5)).toEqual([
      ["Name", 0],
      ["Ready", 0],
      ["Status", 0],
      ["Restarts", 0],
      ["Age", 0],
    ]);
    expect(columns.map((x: [string, number]) => x[0])).toContain("Node");
    expect(res.body.rows[0].cells.slice(0, 4)).toEqual(["a", "0/1", "Pending", "0"]);
    expect(res.body.rows[0].object.kind).toBe("PartialObjectMetadata");
  });
});

describe("discovery", () => {
  it("reports version 1.32 and both discovery formats", async () => {
    const c = await newCluster();
    expect((await c.request("GET", "/version")).body).toMatchObject({ major: "1", minor: "32" });
    // With a trailing slash as the Python client's VersionApi and get_api_versions ask.
    expect((await c.request("GET", "/version/")).body).toEqual((await c.request("GET", "/version")).body);
    expect((await c.request("GET", "/api/")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    expect((await c.request("GET", "/apis/")).body).toMatchObject({ kind: "APIGroupList" });
    const v2 = await c.request("GET", "/apis", undefined, {
      accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
    });
    expect(v2.headers.get("content-type")).toBe("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    const apps = v2.body.items.find((g: { metadata: { name: string } }) => g.metadata.name === "apps");
    const deploy = apps.versions[0].resources.find((r: { resource: string }) => r.resource === "deployments");
    expect(deploy.subresources.map((s: { subresource: string }) => s.subresource).sort()).toEqual(["scale", "status"]);
    const beta = await c.request("GET", "/api", undefined, {
      accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
    });
    expect(beta.body.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    expect(beta.body.items[0].versions[0].resources.map((r: { resource: string }) => r.resource)).toContain("pods");
    const legacy = await c.request("GET", "/api/v1");
    expect(legacy.body.resources.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(["pods", "pods/status", "pods/binding", "namespaces", "nodes"]),
    );
    expect((await c.request("GET", "/apis/nothing.example.com/v1")).status).toBe(404);
  });

  it("lists the system namespaces from the start", async () => {
    const c = await newCluster();
    const res = await c.request("GET", "/api/v1/namespaces");
    expect(names(res.body)).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);
    expect(res.body.items[0].status.phase).toBe("Active");
  });

  it("publishes fieldValidation on PATCH in OpenAPI v3 so kubectl validates on the server", async () => {
    const c = await newCluster();
    const root = await c.request("GET", "/openapi/v3");
    const url = root.body.paths["apis/apps/v1"].serverRelativeURL;
    const doc = await c.request("GET", url);
    const patch = doc.body.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch;
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain("fieldValidation");
  });
});
