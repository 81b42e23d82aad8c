// ReplicationControllers in a real cluster object: the ReplicaSet controller's logic run for
// the core/v1 kind (equality selector), its scale subresource, and cascading delete.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { addNode, type Json, kubelet, listPods, NS, until } from "./workers-helpers.ts";

const RC = `${NS}/replicationcontrollers`;
const MERGE = { "content-type": "application/merge-patch+json" };
const live = async (c: Awaited<ReturnType<typeof newCluster>>) =>
  (await listPods(c, "app=nginx")).filter((p: Json) => !p.metadata.deletionTimestamp);

// The manifest of upstream's ReplicationController page, without a selector (it defaults).
const nginx = {
  apiVersion: "v1",
  kind: "ReplicationController",
  metadata: { name: "nginx" },
  spec: {
    replicas: 3,
    template: {
      metadata: { name: "nginx", labels: { app: "nginx" } },
      spec: { containers: [{ name: "nginx", image: "nginx", ports: [{ containerPort: 80 }] }] },
    },
  },
};

describe("replication controller", () => {
  it("runs 3 owned pods, reports them in status, scales to 1 and takes its pods along on delete", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const created = await c.request("POST", RC, nginx);
    expect(created.status).toBe(201);
    expect(created.body.spec.selector).toEqual({ app: "nginx" });
    expect(created.body.metadata.labels).toEqual({ app: "nginx" });

    const pods = await until(async () => {
      const items = await live(c);
      return items.length === 3 && items.every((p: Json) => p.spec.nodeName) ? items : undefined;
    }, "3 bound pods");
    for (const p of pods) {
      expect(p.metadata.name.startsWith("nginx-")).toBe(true);
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: "v1",
          kind: "ReplicationController",
          name: "nginx",
          uid: created.body.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    await kubelet(c, "app=nginx");
    const rc = await until(async () => {
      const got = (await c.request("GET", `${RC}/nginx`)).body;
      return got.status?.availableReplicas === 3 ? got : undefined;
    }, "3 available");
    expect(rc.status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });

    const scale = await c.request("GET", `${RC}/nginx/scale`);
    expect(scale.status).toBe(200);
    expect(scale.body).toMatchObject({
      apiVersion: "autoscaling/v1",
      kind: "Scale",
      spec: { replicas: 3 },
      status: { replicas: 3, selector: "app=nginx" },
    });
    expect((await c.request("PATCH", `${RC}/nginx/scale`, { spec: { replicas: 1 } }, MERGE)).status).toBe(200);
    await until(async () => ((await live(c)).length === 1 ? true : undefined), "1 live pod");
    await until(async () => {
      const got = (await c.request("GET", `${RC}/nginx`)).body;
      return got.status?.replicas === 1 && got.status?.observedGeneration === 2 ? true : undefined;
    }, "status replicas 1");
    const events = (await c.request("GET", `${NS}/events`)).body.items as Json[];
    expect(
      events.filter((e) => e.reason === "SuccessfulCreate" && e.involvedObject.kind === "ReplicationController"),
    ).toHaveLength(3);
    expect(events.filter((e) => e.reason === "SuccessfulDelete")).toHaveLength(2);

    expect((await c.request("DELETE", `${RC}/nginx`)).status).toBe(200);
    await until(async () => ((await live(c)).length === 0 ? true : undefined), "no live pods after the RC went");
    expect((await c.request("GET", `${RC}/nginx`)).status).toBe(404);
  });

  it("adopts a matching orphan pod instead of creating another", async () => {
    const c = await newCluster();
    const orphan = await c.request("POST", `${NS}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "stray", labels: { app: "nginx" } },
      spec: { containers: [{ name: "nginx", image: "nginx" }] },
    });
    expect(orphan.status).toBe(201);
    expect((await c.request("POST", RC, { ...nginx, spec: { ...nginx.spec, replicas: 2 } })).status).toBe(201);
    const pods = await until(async () => {
      const items = await live(c);
      return items.length === 2 && items.every((p: Json) => p.metadata.ownerReferences) ? items : undefined;
    }, "2 owned pods");
    expect(pods.map((p: Json) => p.metadata.name)).toContain("stray");
    // Scaling to 0 leaves no pod of the controller.
    expect((await c.request("PATCH", `${RC}/nginx`, { spec: { replicas: 0 } }, MERGE)).status).toBe(200);
    await until(async () => ((await live(c)).length === 0 ? true : undefined), "no live pods at 0 replicas");
  });
});
