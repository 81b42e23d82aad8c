// StatefulSets end to end: ordered creation behind readiness, scale-down from the top,
// Parallel, recreating a deleted pod under its name, and a rolling update from the top down.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { APPS, addNode, isReady, type Json, listPods, markPod, NS, until } from "./workers-helpers.ts";

type Cluster = Awaited<ReturnType<typeof newCluster>>;
const STS = `${APPS}/statefulsets`;
const MERGE = { "content-type": "application/merge-patch+json" };
const SMP = { "content-type": "application/strategic-merge-patch+json" };

function statefulSet(name: string, replicas: number, extra: Json = {}): Json {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        // Grace 0: deleted pods go at once, as no kubelet confirms here.
        spec: { terminationGracePeriodSeconds: 0, containers: [{ name: "main", image: "nginx:1.27" }] },
      },
      ...extra,
    },
  };
}

const names = async (c: Cluster, sel: string) =>
  (await listPods(c, sel))
    .filter((p: Json) => !p.metadata.deletionTimestamp)
    .map((p: Json) => p.metadata.name)
    .sort();

async function pod(c: Cluster, name: string): Promise<Json> {
  return until(async () => {
    const res = await c.request("GET", `${NS}/pods/${name}`);
    return res.status === 200 && res.body.spec.nodeName && !res.body.metadata.deletionTimestamp ? res.body : undefined;
  }, `pod ${name} bound`);
}

/** Marks the pod ready once bound, as a kubelet would. */
const ready = async (c: Cluster, name: string) => markPod(c, await pod(c, name));

/** Lets a moment of reconciles pass, then returns the pods. */
async function settled(c: Cluster, sel: string): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 300));
  return names(c, sel);
}

describe("statefulset controller", () => {
  it("creates web-0, web-1 only after web-0 is Ready, with identity labels, hostname and subdomain", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    expect((await c.request("POST", STS, statefulSet("web", 3))).status).toBe(201);
    const p0 = await pod(c, "web-0");
    expect(await settled(c, "app=web")).toEqual(["web-0"]);
    expect(p0.metadata.labels).toMatchObject({
      "statefulset.kubernetes.io/pod-name": "web-0",
      "apps.kubernetes.io/pod-index": "0",
    });
    expect(p0.spec).toMatchObject({ hostname: "web-0", subdomain: "web" });
    expect(p0.metadata.ownerReferences[0]).toMatchObject({ kind: "StatefulSet", name: "web", controller: true });
    const revs = (await c.request("GET", `${APPS}/controllerrevisions`)).body.items as Json[];
    expect(revs).toHaveLength(1);
    expect(p0.metadata.labels["controller-revision-hash"]).toBe(revs[0].metadata.name);
    expect(revs[0].metadata.labels["controller.kubernetes.io/hash"]).toBeTruthy();

    await markPod(c, p0, false); // running but not ready: still no web-1
    expect(await settled(c, "app=web")).toEqual(["web-0"]);
    await ready(c, "web-0");
    await ready(c, "web-1");
    await ready(c, "web-2");
    const set = await until(async () => {
      const got = (await c.request("GET", `${STS}/web`)).body;
      return got.status?.readyReplicas === 3 ? got : undefined;
    }, "3 ready");
    expect(set.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      currentRevision: revs[0].metadata.name,
      updateRevision: revs[0].metadata.name,
      collisionCount: 0,
      observedGeneration: 1,
    });
    const events = (await c.request("GET", `${NS}/events`)).body.items as Json[];
    expect(events.map((e) => e.message)).toContain("create Pod web-0 in StatefulSet web successful");

    // Scale down: the highest ordinal first, one at a time.
    expect((await c.request("PATCH", `${STS}/web`, { spec: { replicas: 1 } }, MERGE)).status).toBe(200);
    await until(async () => ((await names(c, "app=web")).length === 1 ? true : undefined), "scaled to 1");
    expect(await names(c, "app=web")).toEqual(["web-0"]);
    const deletes = ((await c.request("GET", `${NS}/events`)).body.items as Json[])
      .filter((e) => e.reason === "SuccessfulDelete")
      .map((e) => e.message);
    expect(deletes).toEqual([
      "delete Pod web-2 in StatefulSet web successful",
      "delete Pod web-1 in StatefulSet web successful",
    ]);
  });

  it("Parallel creates all pods at once; a deleted pod comes back under its name", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await c.request("POST", STS, statefulSet("db", 3, { podManagementPolicy: "Parallel" }));
    await until(async () => ((await names(c, "app=db")).length === 3 ? true : undefined), "3 pods");
    expect(await names(c, "app=db")).toEqual(["db-0", "db-1", "db-2"]);
    const before = await pod(c, "db-1");
    expect((await c.request("DELETE", `${NS}/pods/db-1?gracePeriodSeconds=0`)).status).toBe(200);
    const after = await until(async () => {
      const res = await c.request("GET", `${NS}/pods/db-1`);
      return res.status === 200 && res.body.metadata.uid !== before.metadata.uid ? res.body : undefined;
    }, "db-1 recreated");
    expect(after.metadata.name).toBe("db-1");
  });

  it("rolls a template change from the highest ordinal down, honouring the partition", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const strategy = { type: "RollingUpdate", rollingUpdate: { partition: 1 } };
    await c.request("POST", STS, statefulSet("web", 3, { updateStrategy: strategy }));
    for (const n of ["web-0", "web-1", "web-2"]) await ready(c, n);
    const patch = { spec: { template: { spec: { containers: [{ name: "main", image: "nginx:1.28" }] } } } };
    expect((await c.request("PATCH", `${STS}/web`, patch, SMP)).status).toBe(200);
    const image = async (n: string) => (await pod(c, n)).spec.containers[0].image;
    // web-2 goes first; web-1 waits until the new web-2 is ready.
    await until(async () => ((await image("web-2")) === "nginx:1.28" ? true : undefined), "web-2 updated");
    expect(await settled(c, "app=web")).toEqual(["web-0", "web-1", "web-2"]);
    expect(await image("web-1")).toBe("nginx:1.27");
    await ready(c, "web-2");
    await until(async () => ((await image("web-1")) === "nginx:1.28" ? true : undefined), "web-1 updated");
    await ready(c, "web-1");
    const set = await until(async () => {
      const got = (await c.request("GET", `${STS}/web`)).body;
      return got.status?.updatedReplicas === 2 && got.status?.readyReplicas === 3 ? got : undefined;
    }, "2 updated");
    // The partition keeps web-0 on the old revision, so the rollout never completes.
    expect(await image("web-0")).toBe("nginx:1.27");
    expect(set.status.currentRevision).not.toBe(set.status.updateRevision);
    expect(set.status.currentReplicas).toBe(1);
    expect((await listPods(c, "app=web")).filter(isReady)).toHaveLength(3);
  });

  it("rejects bad input with 422", async () => {
    const c = await newCluster();
    const bad = statefulSet("web", -1);
    const res = await c.request("POST", STS, bad);
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  });
});
