// StatefulSet claims end to end: `<template>-<set>-<ordinal>` made before their pods, provisioned on the
// pods' nodes, kept when a pod is replaced, and removed as persistentVolumeClaimRetentionPolicy says.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { APPS, addNode, type Json, NS, until } from "./workers-helpers.ts";

type Cluster = Awaited<ReturnType<typeof newCluster>>;
const STS = `${APPS}/statefulsets`;
const PVC = `${NS}/persistentvolumeclaims`;

function statefulSet(replicas: number, policy?: Json): Json {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      replicas,
      serviceName: "db",
      podManagementPolicy: "Parallel",
      selector: { matchLabels: { app: "db" } },
      template: {
        metadata: { labels: { app: "db" } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: "main", image: "busybox", volumeMounts: [{ name: "data", mountPath: "/data" }] }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data", labels: { tier: "storage" } },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      ],
      ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
    },
  };
}

const claim = async (c: Cluster, name: string) => {
  const res = await c.request("GET", `${PVC}/${name}`);
  return res.status === 200 ? res.body : undefined;
};

const bound = (c: Cluster, name: string) =>
  until(async () => {
    const pvc = await claim(c, name);
    return pvc?.status?.phase === "Bound" ? pvc : undefined;
  }, `${name} Bound`);

const gone = (c: Cluster, name: string) =>
  until(async () => ((await c.request("GET", `${PVC}/${name}`)).status === 404 ? true : undefined), `${name} gone`);

describe("statefulset claims", () => {
  it("makes a claim per ordinal before the pod, binds it on the pod's node, and keeps it when the pod is replaced", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    await addNode(c, "n2");
    expect((await c.request("POST", STS, statefulSet(2))).status).toBe(201);
    const d0 = await bound(c, "data-db-0");
    const d1 = await bound(c, "data-db-1");
    expect(d0.metadata.labels).toEqual({ tier: "storage", app: "db" });
    expect(d0.metadata.ownerReferences).toBeUndefined();
    expect(d0.spec.storageClassName).toBe("local-path");
    const pod0 = (await c.request("GET", `${NS}/pods/db-0`)).body;
    expect(pod0.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "data-db-0" } });
    expect(d0.metadata.annotations["volume.kubernetes.io/selected-node"]).toBe(pod0.spec.nodeName);
    expect(d1.spec.volumeName).not.toBe(d0.spec.volumeName);
    const events = (await c.request("GET", `${NS}/events?fieldSelector=involvedObject.name%3Ddb`)).body.items;
    expect(events.map((e: Json) => e.message)).toContain("create Claim data-db-0 Pod db-0 in StatefulSet db success");

    expect((await c.request("DELETE", `${NS}/pods/db-0`)).status).toBe(200);
    const again = await until(async () => {
      const p = (await c.request("GET", `${NS}/pods/db-0`)).body;
      return p.metadata?.uid && p.metadata.uid !== pod0.metadata.uid && p.spec.nodeName ? p : undefined;
    }, "db-0 replaced");
    expect(again.spec.nodeName).toBe(pod0.spec.nodeName);
    const kept = await claim(c, "data-db-0");
    expect(kept.metadata.uid).toBe(d0.metadata.uid);
    expect(kept.spec.volumeName).toBe(d0.spec.volumeName);
  });

  it("deletes a scaled-away ordinal's claim with whenScaled: Delete, and the rest with the set with whenDeleted: Delete", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const policy = { whenScaled: "Delete", whenDeleted: "Delete" };
    expect((await c.request("POST", STS, statefulSet(2, policy))).status).toBe(201);
    const d0 = await bound(c, "data-db-0");
    await bound(c, "data-db-1");
    expect(d0.metadata.ownerReferences).toEqual([
      expect.objectContaining({ apiVersion: "apps/v1", kind: "StatefulSet", name: "db", controller: true }),
    ]);
    const scale = await c.request(
      "PATCH",
      `${STS}/db`,
      { spec: { replicas: 1 } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    expect(scale.status).toBe(200);
    await gone(c, "data-db-1");
    expect((await claim(c, "data-db-0"))?.metadata.uid).toBe(d0.metadata.uid);
    expect((await c.request("DELETE", `${STS}/db`)).status).toBe(200);
    await gone(c, "data-db-0");
  });

  it("keeps every claim with the default Retain policy", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    expect((await c.request("POST", STS, statefulSet(2))).status).toBe(201);
    await bound(c, "data-db-1");
    await c.request(
      "PATCH",
      `${STS}/db`,
      { spec: { replicas: 1 } },
      { "content-type": "application/merge-patch+json" },
    );
    await until(
      async () => ((await c.request("GET", `${NS}/pods/db-1`)).status === 404 ? true : undefined),
      "db-1 gone",
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await claim(c, "data-db-1"))?.status.phase).toBe("Bound");
  });
});
