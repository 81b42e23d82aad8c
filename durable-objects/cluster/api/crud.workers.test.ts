// The object API's write semantics, through the real Worker into a real cluster object.
import { describe, expect, it } from "vitest";
import { newCluster, pod } from "../testing/cluster-client.ts";

const PODS = "/api/v1/namespaces/default/pods";

describe("create", () => {
  it("stores a pod with upstream defaults and system metadata", async () => {
    const c = await newCluster();
    const res = await c.request("POST", PODS, pod("web"));
    expect(res.status).toBe(201);
    const created = res.body;
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.spec.restartPolicy).toBe("Always");
    expect(created.spec.dnsPolicy).toBe("ClusterFirst");
    expect(created.spec.terminationGracePeriodSeconds).toBe(30);
    expect(created.spec.containers[0].imagePullPolicy).toBe("IfNotPresent");
    expect(created.status.phase).toBe("Pending");
    const got = await c.request("GET", `${PODS}/web`);
    expect(got.body).toEqual(created);
  });

  it("generates names from generateName", async () => {
    const c = await newCluster();
    const res = await c.request("POST", PODS, { ...pod(""), metadata: { generateName: "web-" } });
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("answers 409 AlreadyExists for a duplicate name", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("web"));
    const res = await c.request("POST", PODS, pod("web"));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ kind: "Status", reason: "AlreadyExists", message: 'pods "web" already exists' });
  });

  it("refuses an invalid name with upstream's 422 message and stores nothing", async () => {
    const c = await newCluster();
    const before = await c.request("GET", PODS);
    const res = await c.request("POST", PODS, pod("Web_1"));
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe("Invalid");
    expect(res.body.message).toContain(
      'Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain',
    );
    const after = await c.request("GET", PODS);
    expect(after.body.items).toHaveLength(0);
    expect(after.body.metadata.resourceVersion).toBe(before.body.metadata.resourceVersion);
  });

  it("refuses a namespaced object in a missing namespace with 404", async () => {
    const c = await newCluster();
    const res = await c.request("POST", "/api/v1/namespaces/nope/pods", pod("web"));
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('namespaces "nope" not found');
  });

  it("refuses malformed JSON with 400 and an oversize object with 413", async () => {
    const c = await newCluster();
    const bad = await c.request("POST", PODS, '{"apiVersion": "v1", "kind": ');
    expect(bad.status).toBe(400);
    expect(bad.body.kind).toBe("Status");
    const big = pod("big");
    big.spec.containers[0] = { ...big.spec.containers[0], args: ["x".repeat(1_700_000)] } as never;
    const res = await c.request("POST", PODS, big);
    expect(res.status).toBe(413);
    expect(res.body.reason).toBe("RequestEntityTooLarge");
    big.spec.containers[0] = { ...big.spec.containers[0], args: ["x".repeat(3_200_000)] } as never;
    expect((await c.request("POST", PODS, big)).status).toBe(413);
    expect((await c.request("GET", `${PODS}/big`)).status).toBe(404);
    // ConfigMaps have their own, smaller limit: upstream answers 422 past 1 MiB of data.
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "big" },
      data: { blob: "x".repeat(1_100_000) },
    };
    expect((await c.request("POST", "/api/v1/namespaces/default/configmaps", cm)).status).toBe(422);
  });

  it("answers 401 without a valid token and never crosses clusters", async () => {
    const a = await newCluster();
    const b = await newCluster();
    await a.request("POST", PODS, pod("secret-web"));
    const anon = await a.raw("GET", PODS, { headers: { authorization: "" } });
    expect(anon.status).toBe(401);
    const cross = await b.raw("GET", PODS, { headers: { authorization: `Bearer ${a.token}` } });
    expect(cross.status).toBe(401);
    const own = await b.request("GET", PODS);
    expect(own.body.items).toHaveLength(0);
  });
});

describe("update", () => {
  it("answers 409 Conflict on a stale resourceVersion and keeps the newer state", async () => {
    const c = await newCluster();
    const created = (
      await c.request("POST", "/api/v1/namespaces/default/configmaps", {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg" },
        data: { a: "1" },
      })
    ).body;
    const first = await c.request("PUT", "/api/v1/namespaces/default/configmaps/cfg", { ...created, data: { a: "2" } });
    expect(first.status).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await c.request("PUT", "/api/v1/namespaces/default/configmaps/cfg", { ...created, data: { a: "3" } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await c.request("GET", "/api/v1/namespaces/default/configmaps/cfg")).body.data).toEqual({ a: "2" });
  });

  it("keeps status on a main-resource update and bumps generation only for spec changes", async () => {
    const c = await newCluster();
    // A suspended CronJob: its controller leaves a status without jobs as it is, so nothing races the writes here.
    const cron = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "tick" },
      spec: {
        schedule: "0 0 1 1 *",
        suspend: true,
        jobTemplate: {
          spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "t", image: "busybox" }] } } },
        },
      },
    };
    const path = "/apis/batch/v1/namespaces/default/cronjobs";
    const created = (await c.request("POST", path, cron)).body;
    expect(created.metadata.generation).toBe(1);
    const status = { lastScheduleTime: "2026-01-01T00:00:00Z" };
    const withStatus = await c.request("PUT", `${path}/tick/status`, { ...created, status });
    expect(withStatus.status).toBe(200);
    expect(withStatus.body.metadata.generation).toBe(1);
    const merge = { "content-type": "application/merge-patch+json" };
    const relabel = await c.request("PATCH", `${path}/tick`, { metadata: { labels: { tier: "front" } } }, merge);
    expect(relabel.body.metadata.generation).toBe(1);
    expect(relabel.body.status).toEqual(status);
    const respec = await c.request("PATCH", `${path}/tick`, { spec: { schedule: "0 0 2 1 *" } }, merge);
    expect(respec.body.metadata.generation).toBe(2);
    expect(respec.body.status).toEqual(status);
  });

  it("writes spec.replicas through the scale subresource as a spec change", async () => {
    const c = await newCluster();
    const set = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
      },
    };
    const path = "/apis/apps/v1/namespaces/default/statefulsets";
    expect((await c.request("POST", path, set)).body.metadata.generation).toBe(1);
    const scaled = await c.request(
      "PATCH",
      `${path}/web/scale`,
      { spec: { replicas: 3 } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    expect(scaled.status).toBe(200);
    expect(scaled.body).toMatchObject({ kind: "Scale", spec: { replicas: 3 }, status: { selector: "app=web" } });
    const after = (await c.request("GET", `${path}/web`)).body;
    expect(after.spec.replicas).toBe(3);
    expect(after.metadata.generation).toBe(2);
  });

  it("forbids changing a pod's spec beyond the mutable fields", async () => {
    const c = await newCluster();
    const created = (await c.request("POST", PODS, pod("web"))).body;
    const image = await c.request("PUT", `${PODS}/web`, {
      ...created,
      spec: { ...created.spec, containers: [{ ...created.spec.containers[0], image: "nginx:1.28" }] },
    });
    expect(image.status).toBe(200);
    const restart = await c.request("PUT", `${PODS}/web`, {
      ...image.body,
      spec: { ...image.body.spec, restartPolicy: "Never" },
    });
    expect(restart.status).toBe(422);
    expect(restart.body.message).toContain("pod updates may not change fields other than");
  });
});

describe("delete", () => {
  it("holds an object with finalizers until the last one is removed", async () => {
    const c = await newCluster();
    const path = "/api/v1/namespaces/default/configmaps";
    await c.request("POST", path, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "held", finalizers: ["example.com/hold"] },
    });
    const del = await c.request("DELETE", `${path}/held`, { kind: "DeleteOptions", apiVersion: "v1" });
    expect(del.status).toBe(200);
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    const still = (await c.request("GET", `${path}/held`)).body;
    expect(still.metadata.deletionTimestamp).toBeTruthy();
    const release = await c.request(
      "PATCH",
      `${path}/held`,
      { metadata: { finalizers: null } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    expect(release.status).toBe(200);
    expect((await c.request("GET", `${path}/held`)).status).toBe(404);
  });

  it("checks preconditions", async () => {
    const c = await newCluster();
    await c.request("POST", PODS, pod("web"));
    const res = await c.request("DELETE", `${PODS}/web`, { preconditions: { uid: "not-the-uid" } });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain("Precondition failed: UID in precondition: not-the-uid");
  });

  it("deletes dependents in the background and orphans them when asked", async () => {
    const c = await newCluster();
    const cms = "/api/v1/namespaces/default/configmaps";
    const owner = (await c.request("POST", cms, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owner" } }))
      .body;
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata.uid };
    await c.request("POST", cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "dep", ownerReferences: [ref] },
    });
    await c.request("DELETE", `${cms}/owner`);
    expect((await c.request("GET", `${cms}/dep`)).status).toBe(404);

    const owner2 = (await c.request("POST", cms, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "owner2" } }))
      .body;
    const ref2 = { ...ref, name: "owner2", uid: owner2.metadata.uid };
    await c.request("POST", cms, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "dep2", ownerReferences: [ref2] },
    });
    await c.request("DELETE", `${cms}/owner2`, { propagationPolicy: "Orphan" });
    const orphan = await c.request("GET", `${cms}/dep2`);
    expect(orphan.status).toBe(200);
    expect(orphan.body.metadata.ownerReferences).toBeUndefined();
  });

  it("deletes a namespace with its contents and refuses new content meanwhile", async () => {
    const c = await newCluster();
    await c.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    const sa = await c.request("GET", "/api/v1/namespaces/team/serviceaccounts/default");
    expect(sa.status).toBe(200);
    await c.request("POST", "/api/v1/namespaces/team/pods", pod("web"));
    const del = await c.request("DELETE", "/api/v1/namespaces/team");
    expect(del.status).toBe(200);
    expect((await c.request("GET", "/api/v1/namespaces/team/pods/web")).status).toBe(404);
    expect((await c.request("GET", "/api/v1/namespaces/team")).status).toBe(404);
  });
});
