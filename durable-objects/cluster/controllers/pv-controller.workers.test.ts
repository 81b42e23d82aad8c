// The PV controller, the built-in provisioner and the protection controllers through the API: dynamic
// provisioning (Immediate and WaitForFirstConsumer), static binding, reclaim Delete/Retain, the
// protection finalizers, and the events `kubectl describe pvc` shows.
import { describe, expect, it } from "vitest";
import type { ClusterClient } from "../testing/cluster-client.ts";
import { newCluster } from "../testing/cluster-client.ts";
import { addNode, type Json, NS, storageClass, until } from "./workers-helpers.ts";

const PVC = `${NS}/persistentvolumeclaims`;
const PV = "/api/v1/persistentvolumes";

const claim = (name: string, spec: Json = {}) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});

const hostPathVolume = (name: string, storage: string, spec: Json = {}) => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name },
  spec: { capacity: { storage }, accessModes: ["ReadWriteOnce"], hostPath: { path: `/tmp/${name}` }, ...spec },
});

const post = async (c: ClusterClient, path: string, body: Json) => {
  const res = await c.request("POST", path, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
};

const get = async (c: ClusterClient, path: string) => (await c.request("GET", path)).body;

const boundClaim = (c: ClusterClient, name: string) =>
  until(async () => {
    const pvc = await get(c, `${PVC}/${name}`);
    return pvc.status?.phase === "Bound" ? pvc : undefined;
  }, `claim ${name} Bound`);

const reasons = async (c: ClusterClient, name: string) => {
  const list = await get(c, `${NS}/events?fieldSelector=involvedObject.name%3D${name}`);
  return list.items.map((e: Json) => `${e.source?.component}: ${e.reason}: ${e.message}`);
};

const immediateClass = (name: string, reclaimPolicy = "Delete") => storageClass(name, { reclaimPolicy });

describe("PersistentVolume controller", () => {
  it("provisions an Immediate claim at once on a Ready node, binds it, and records upstream's events", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    await post(c, "/apis/storage.k8s.io/v1/storageclasses", immediateClass("now"));
    const made = await post(c, PVC, claim("data", { storageClassName: "now" }));
    const bound = await boundClaim(c, "data");
    const name = `pvc-${made.metadata.uid}`;
    expect(bound.spec.volumeName).toBe(name);
    expect(bound.status).toMatchObject({
      phase: "Bound",
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteOnce"],
    });
    expect(bound.metadata.annotations).toMatchObject({
      "pv.kubernetes.io/bind-completed": "yes",
      "volume.kubernetes.io/storage-provisioner": "flotilla.dev/local-path",
    });
    const pv = await until(async () => {
      const v = await get(c, `${PV}/${name}`);
      return v.status?.phase === "Bound" ? v : undefined;
    }, "volume Bound");
    expect(pv.spec.local.path).toBe(`/var/lib/flotilla/volumes/${name}`);
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({
      key: "kubernetes.io/hostname",
      operator: "In",
      values: ["node-a"],
    });
    expect(pv.spec.claimRef).toMatchObject({ namespace: "default", name: "data", uid: made.metadata.uid });
    expect(pv.metadata.finalizers).toEqual(["kubernetes.io/pv-protection"]);
    const events = await reasons(c, "data");
    expect(events).toContain(
      "persistentvolume-controller: ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'flotilla.dev/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
    );
    expect(events).toContain(
      'flotilla.dev/local-path: Provisioning: External provisioner is provisioning volume for claim "default/data"',
    );
    expect(events).toContain(`flotilla.dev/local-path: ProvisioningSucceeded: Successfully provisioned volume ${name}`);
  });

  it("keeps a default-class claim Pending (WaitForFirstConsumer) until a node is selected, then provisions there", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    await addNode(c, "node-b");
    await post(c, PVC, claim("data"));
    await until(async () => {
      const events = await reasons(c, "data");
      return events.includes(
        "persistentvolume-controller: WaitForFirstConsumer: waiting for first consumer to be created before binding",
      )
        ? true
        : undefined;
    }, "WaitForFirstConsumer event");
    expect((await get(c, `${PVC}/data`)).status.phase).toBe("Pending");
    expect((await get(c, PV)).items).toEqual([]);

    const pending = await get(c, `${PVC}/data`);
    pending.metadata.annotations = { ...pending.metadata.annotations, "volume.kubernetes.io/selected-node": "node-b" };
    expect((await c.request("PUT", `${PVC}/data`, pending)).status).toBe(200);
    const bound = await boundClaim(c, "data");
    const pv = await get(c, `${PV}/${bound.spec.volumeName}`);
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(["node-b"]);
    expect(pv.spec.storageClassName).toBe("local-path");
  });

  it("binds a claim without a class to the smallest matching volume made by hand", async () => {
    const c = await newCluster();
    await post(c, PV, hostPathVolume("big", "10Gi"));
    await post(c, PV, hostPathVolume("small", "2Gi"));
    await post(c, PV, hostPathVolume("tiny", "500Mi"));
    await until(async () => {
      const list = await get(c, PV);
      return list.items.every((v: Json) => v.status.phase === "Available") ? true : undefined;
    }, "volumes Available");
    await post(c, PVC, claim("data", { storageClassName: "" }));
    const bound = await boundClaim(c, "data");
    expect(bound.spec.volumeName).toBe("small");
    expect(bound.status.capacity).toEqual({ storage: "2Gi" });
    const pv = await get(c, `${PV}/small`);
    expect(pv.metadata.annotations).toEqual({ "pv.kubernetes.io/bound-by-controller": "yes" });
  });

  it("leaves a Retain volume Released when its claim goes, and deletes a provisioned Delete one", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    await post(c, "/apis/storage.k8s.io/v1/storageclasses", immediateClass("keep", "Retain"));
    await post(c, "/apis/storage.k8s.io/v1/storageclasses", immediateClass("drop", "Delete"));
    await post(c, PVC, claim("kept", { storageClassName: "keep" }));
    await post(c, PVC, claim("dropped", { storageClassName: "drop" }));
    const kept = await boundClaim(c, "kept");
    const dropped = await boundClaim(c, "dropped");
    expect((await c.request("DELETE", `${PVC}/kept`)).status).toBe(200);
    expect((await c.request("DELETE", `${PVC}/dropped`)).status).toBe(200);
    const released = await until(async () => {
      const v = await get(c, `${PV}/${kept.spec.volumeName}`);
      return v.status?.phase === "Released" ? v : undefined;
    }, "Retain volume Released");
    expect(released.spec.claimRef.name).toBe("kept");
    await until(
      async () => ((await c.request("GET", `${PV}/${dropped.spec.volumeName}`)).status === 404 ? true : undefined),
      "Delete volume gone",
    );
  });

  it("fails a Delete volume made by hand (no deleter), as upstream", async () => {
    const c = await newCluster();
    await post(c, PV, hostPathVolume("manual", "1Gi", { persistentVolumeReclaimPolicy: "Delete" }));
    await post(c, PVC, claim("data", { storageClassName: "", volumeName: "manual" }));
    await boundClaim(c, "data");
    await c.request("DELETE", `${PVC}/data`);
    const failed = await until(async () => {
      const v = await get(c, `${PV}/manual`);
      return v.status?.phase === "Failed" ? v : undefined;
    }, "volume Failed");
    expect(failed.status.message).toBe(
      'error getting deleter volume plugin for volume "manual": no deletable volume plugin matched',
    );
  });

  it("keeps a claim in use by a pod until the pod goes (pvc-protection), and a Bound volume until released", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    await post(c, "/apis/storage.k8s.io/v1/storageclasses", immediateClass("now"));
    await post(c, PVC, claim("data", { storageClassName: "now" }));
    const bound = await boundClaim(c, "data");
    await post(c, `${NS}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "user" },
      spec: {
        nodeName: "node-a",
        containers: [{ name: "c", image: "busybox" }],
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
      },
    });
    // Deleting the volume first: it stays (Terminating) while Bound.
    expect((await c.request("DELETE", `${PV}/${bound.spec.volumeName}`)).status).toBe(200);
    expect((await c.request("DELETE", `${PVC}/data`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const terminating = await get(c, `${PVC}/data`);
    expect(terminating.metadata.deletionTimestamp).toBeTruthy();
    expect(terminating.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
    expect((await c.request("GET", `${PV}/${bound.spec.volumeName}`)).status).toBe(200);

    await c.request("DELETE", `${NS}/pods/user`, { gracePeriodSeconds: 0 });
    await until(async () => ((await c.request("GET", `${PVC}/data`)).status === 404 ? true : undefined), "claim gone");
    await until(
      async () => ((await c.request("GET", `${PV}/${bound.spec.volumeName}`)).status === 404 ? true : undefined),
      "volume gone",
    );
  });

  it("provisions nothing on a node whose disk is nearly full, and says why on the claim", async () => {
    const c = await newCluster();
    await addNode(c, "full");
    const node = await get(c, "/api/v1/nodes/full");
    node.status.conditions.push({ type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure" });
    const { resourceVersion: _, ...metadata } = node.metadata;
    expect((await c.request("PUT", "/api/v1/nodes/full/status", { ...node, metadata })).status).toBe(200);
    await post(c, PVC, claim("data"));
    const pending = await get(c, `${PVC}/data`);
    pending.metadata.annotations = { ...pending.metadata.annotations, "volume.kubernetes.io/selected-node": "full" };
    expect((await c.request("PUT", `${PVC}/data`, pending)).status).toBe(200);
    await until(async () => {
      const events = await reasons(c, "data");
      return events.includes(
        'flotilla.dev/local-path: ProvisioningFailed: failed to provision volume with StorageClass "local-path": node "full" is nearly out of disk space (DiskPressure); no volume is made there',
      )
        ? true
        : undefined;
    }, "ProvisioningFailed event");
    expect((await get(c, PV)).items).toEqual([]);
    expect((await get(c, `${PVC}/data`)).status.phase).toBe("Pending");
  });
});
