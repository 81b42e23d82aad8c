// Deployments end to end in a real cluster object: ReplicaSets and pods made by the
// controllers on alarm ticks, the scheduler binding them, a fake kubelet making them ready.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { APPS, addNode, deployment, isReady, type Json, kubelet, listPods, markPod, until } from "./workers-helpers.ts";

describe("deployment controller", () => {
  it("creates a ReplicaSet and 3 pods bound to nodes; ready pods make the status 3/3", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await addNode(c, "n2");
    const created = await c.request("POST", `${APPS}/deployments`, deployment("web", 3));
    expect(created.status).toBe(201);
    const pods = await until(async () => {
      const items = await listPods(c, "app=web");
      return items.length === 3 && items.every((p: Json) => p.spec.nodeName) ? items : undefined;
    }, "3 bound pods");
    const rsList = (await c.request("GET", `${APPS}/replicasets`)).body.items;
    expect(rsList).toHaveLength(1);
    const rs = rsList[0];
    const hash = rs.metadata.labels["pod-template-hash"];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.annotations["deployment.kubernetes.io/revision"]).toBe("1");
    expect(rs.metadata.ownerReferences[0]).toMatchObject({ kind: "Deployment", name: "web", controller: true });
    for (const p of pods) {
      expect(p.metadata.name.startsWith(`web-${hash}-`)).toBe(true);
      expect(p.metadata.ownerReferences[0]).toMatchObject({
        kind: "ReplicaSet",
        name: rs.metadata.name,
        controller: true,
        blockOwnerDeletion: true,
      });
    }
    await kubelet(c, "app=web");
    const d = await until(async () => {
      const got = (await c.request("GET", `${APPS}/deployments/web`)).body;
      return got.status?.availableReplicas === 3 && got.status?.conditions?.length === 2 ? got : undefined;
    }, "3 available");
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    expect(d.metadata.annotations["deployment.kubernetes.io/revision"]).toBe("1");
    const byType = Object.fromEntries(d.status.conditions.map((x: Json) => [x.type, x]));
    expect(byType.Available).toMatchObject({ status: "True", reason: "MinimumReplicasAvailable" });
    expect(byType.Progressing).toMatchObject({
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
    });
    const events = (await c.request("GET", "/api/v1/namespaces/default/events")).body.items as Json[];
    expect(events.map((e) => e.message)).toContain(`Scaled up replica set ${rs.metadata.name} from 0 to 3`);
    expect(events.filter((e) => e.reason === "SuccessfulCreate")).toHaveLength(3);
    // Idle: nothing due, no alarm.
    await until(async () => ((await alarmOf(c.id)) === null ? true : undefined), "no alarm");
  });
});

async function alarmOf(id: string): Promise<number | null> {
  const stub = (env as Json).CLUSTER.get((env as Json).CLUSTER.idFromName(id));
  return runInDurableObject(stub, async (_o: unknown, state: DurableObjectState) => state.storage.getAlarm());
}

const D = `${APPS}/deployments`;
const MERGE = { "content-type": "application/merge-patch+json" };

async function getDeployment(c: Awaited<ReturnType<typeof newCluster>>, name = "web"): Promise<Json> {
  return (await c.request("GET", `${D}/${name}`)).body;
}

/** Waits for `n` live pods of app=web, all bound, marking them Ready as a kubelet would. */
async function settle(c: Awaited<ReturnType<typeof newCluster>>, n: number): Promise<Json[]> {
  return until(async () => {
    await kubelet(c, "app=web");
    const live = (await listPods(c, "app=web")).filter((p: Json) => !p.metadata.deletionTimestamp);
    const d = await getDeployment(c);
    const done = live.length === n && live.every(isReady) && d.status?.availableReplicas === n;
    return done && d.status?.replicas === n ? live : undefined;
  }, `${n} ready pods`);
}

describe("deployment scaling and self-healing", () => {
  it("scales to 5 and to 2, and replaces a deleted pod", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await addNode(c, "n2");
    await c.request("POST", D, deployment("web", 3));
    await settle(c, 3);
    expect((await c.request("PATCH", `${D}/web/scale`, { spec: { replicas: 5 } }, MERGE)).status).toBe(200);
    await settle(c, 5);
    expect((await c.request("PATCH", `${D}/web`, { spec: { replicas: 2 } }, MERGE)).status).toBe(200);
    const two = await settle(c, 2);
    const rs = (await c.request("GET", `${APPS}/replicasets`)).body.items[0];
    expect(rs.spec.replicas).toBe(2);
    expect(rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"]).toBe("2");
    const victim = two[0].metadata.name;
    expect((await c.request("DELETE", `/api/v1/namespaces/default/pods/${victim}?gracePeriodSeconds=0`)).status).toBe(
      200,
    );
    const after = await settle(c, 2);
    expect(after.map((p: Json) => p.metadata.name)).not.toContain(victim);
    const events = (await c.request("GET", "/api/v1/namespaces/default/events")).body.items as Json[];
    const messages = events.map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${rs.metadata.name} from 3 to 5`);
    expect(messages).toContain(`Scaled down replica set ${rs.metadata.name} from 5 to 2`);
    expect(events.filter((e) => e.reason === "SuccessfulDelete")).toHaveLength(3);
    const del = events.find((e) => e.reason === "SuccessfulDelete");
    expect(del).toMatchObject({
      source: { component: "replicaset-controller" },
      involvedObject: { kind: "ReplicaSet" },
    });
  });

  it("rolls out a new image with maxUnavailable honoured at every step, keeps history, and undoes", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await addNode(c, "n2");
    const strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    await c.request("POST", D, deployment("web", 4, "nginx:1.27", { strategy }));
    await settle(c, 4);
    const patch = { spec: { template: { spec: { containers: [{ name: "main", image: "nginx:1.28" }] } } } };
    expect(
      (await c.request("PATCH", `${D}/web`, patch, { "content-type": "application/strategic-merge-patch+json" }))
        .status,
    ).toBe(200);
    let steps = 0;
    let maxLive = 0;
    await until(
      async () => {
        const live = (await listPods(c, "app=web")).filter((p: Json) => !p.metadata.deletionTimestamp);
        const specs = (await c.request("GET", `${APPS}/replicasets`)).body.items as Json[];
        maxLive = Math.max(
          maxLive,
          specs.reduce((n, rs) => n + rs.spec.replicas, 0),
        );
        expect(live.filter(isReady).length).toBeGreaterThanOrEqual(3); // replicas − maxUnavailable
        steps++;
        // One pod at a time, as a slow kubelet would.
        const pending = live.find((p: Json) => p.spec.nodeName && !isReady(p));
        if (pending) await markPod(c, pending);
        const d = await getDeployment(c);
        const s = d.status ?? {};
        const done = s.updatedReplicas === 4 && s.replicas === 4 && s.availableReplicas === 4;
        return done && live.every((p: Json) => p.spec.containers[0].image === "nginx:1.28") ? d : undefined;
      },
      "rollout done",
      15_000,
    );
    expect(steps).toBeGreaterThan(2);
    expect(maxLive).toBeLessThanOrEqual(5); // replicas + maxSurge, over the sets' sizes
    const sets = (await c.request("GET", `${APPS}/replicasets`)).body.items as Json[];
    const revisions = Object.fromEntries(
      sets.map((rs) => [rs.metadata.annotations["deployment.kubernetes.io/revision"], rs]),
    );
    expect(Object.keys(revisions).sort()).toEqual(["1", "2"]);
    expect(revisions["1"].spec.replicas).toBe(0);
    expect(revisions["2"].spec.template.spec.containers[0].image).toBe("nginx:1.28");
    expect((await getDeployment(c)).metadata.annotations["deployment.kubernetes.io/revision"]).toBe("2");
    // kubectl rollout undo: the old set's template, without its hash label, back into the deployment.
    const template = structuredClone(revisions["1"].spec.template);
    delete template.metadata.labels["pod-template-hash"];
    const undo = [{ op: "replace", path: "/spec/template", value: template }];
    expect((await c.request("PATCH", `${D}/web`, undo, { "content-type": "application/json-patch+json" })).status).toBe(
      200,
    );
    await until(
      async () => {
        await kubelet(c, "app=web");
        const d = await getDeployment(c);
        const live = (await listPods(c, "app=web")).filter((p: Json) => !p.metadata.deletionTimestamp);
        const back = live.length === 4 && live.every((p: Json) => p.spec.containers[0].image === "nginx:1.27");
        return back && d.status?.availableReplicas === 4 && d.status?.updatedReplicas === 4 ? d : undefined;
      },
      "undo done",
      15_000,
    );
    const old = (await c.request("GET", `${APPS}/replicasets/${revisions["1"].metadata.name}`)).body;
    expect(old.metadata.annotations["deployment.kubernetes.io/revision"]).toBe("3");
    expect(old.metadata.annotations["deployment.kubernetes.io/revision-history"]).toBe("1");
    expect((await getDeployment(c)).metadata.annotations["deployment.kubernetes.io/revision"]).toBe("3");
  });

  it("arms the alarm only for due work: the progress deadline while stuck, nothing once complete", async () => {
    const c = await newCluster();
    // A new cluster's own start-up work (ClusterRole aggregation) runs at once; then nothing is due.
    await until(async () => ((await alarmOf(c.id)) === null ? true : undefined), "no alarm at start");
    await c.request("POST", D, deployment("web", 1, "nginx:1.27", { progressDeadlineSeconds: 120 }));
    await until(async () => ((await listPods(c, "app=web")).length === 1 ? true : undefined), "1 pod");
    // No node: the pod stays pending, and only the progress deadline is due.
    const at = await until(async () => {
      const a = await alarmOf(c.id);
      return a !== null && a > Date.now() + 60_000 ? a : undefined;
    }, "deadline alarm");
    expect(at).toBeLessThanOrEqual(Date.now() + 122_000);
    await addNode(c, "n1");
    await settle(c, 1);
    await until(async () => ((await alarmOf(c.id)) === null ? true : undefined), "no alarm");
  });
});
