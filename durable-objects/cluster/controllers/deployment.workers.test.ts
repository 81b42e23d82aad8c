// Deployments end to end in a real cluster object: ReplicaSets and pods made by the
// controllers on alarm ticks, the scheduler binding them, a fake kubelet making them ready.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { APPS, addNode, deployment, isReady, type Json, kubelet, listPods, until } from "./workers-helpers.ts";

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
