// VolumeBinding inside a real cluster object: a WaitForFirstConsumer claim is handed to the node the
// scheduler picks (selected-node annotation), provisioned and bound there; later pods of the claim follow
// its volume; a cordoned volume node leaves them Pending with upstream's FailedScheduling text.
import { describe, expect, it } from "vitest";
import { addNode, failedScheduling, type Json, NS, storageClass, until } from "../controllers/workers-helpers.ts";
import { newCluster, pod } from "../testing/cluster-client.ts";

const usingClaim = (name: string, claimName: string) => {
  const p: Json = pod(name);
  p.spec.volumes = [{ name: "data", persistentVolumeClaim: { claimName } }];
  return p;
};

const claim = (name: string, spec: Json = {}) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});

describe("VolumeBinding in the cluster", () => {
  it("provisions a delayed claim on the pod's node and keeps later pods of the claim there", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    await addNode(c, "node-b");
    expect((await c.request("POST", `${NS}/persistentvolumeclaims`, claim("data"))).status).toBe(201);
    expect((await c.request("POST", `${NS}/pods`, usingClaim("first", "data"))).status).toBe(201);
    const node = await until(async () => (await c.request("GET", `${NS}/pods/first`)).body.spec.nodeName, "bound");
    const bound = await until(async () => {
      const pvc = (await c.request("GET", `${NS}/persistentvolumeclaims/data`)).body;
      return pvc.status?.phase === "Bound" ? pvc : undefined;
    }, "claim Bound");
    expect(bound.metadata.annotations["volume.kubernetes.io/selected-node"]).toBe(node);
    const pv = (await c.request("GET", `/api/v1/persistentvolumes/${bound.spec.volumeName}`)).body;
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([node]);

    for (let i = 0; i < 3; i++) {
      expect((await c.request("POST", `${NS}/pods`, usingClaim(`next-${i}`, "data"))).status).toBe(201);
      const at = await until(async () => (await c.request("GET", `${NS}/pods/next-${i}`)).body.spec.nodeName, "bound");
      expect(at).toBe(node);
    }

    const patch = await c.request(
      "PATCH",
      `/api/v1/nodes/${node}`,
      { spec: { unschedulable: true } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    expect(patch.status).toBe(200);
    expect((await c.request("POST", `${NS}/pods`, usingClaim("stuck", "data"))).status).toBe(201);
    expect(await failedScheduling(c, "stuck")).toBe(
      "0/2 nodes are available: 1 node(s) had volume node affinity conflict, 1 node(s) were unschedulable. " +
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
    expect((await c.request("GET", `${NS}/pods/stuck`)).body.spec.nodeName).toBeUndefined();
  });

  it("leaves a pod of an unbound Immediate claim Pending with upstream's message", async () => {
    const c = await newCluster();
    await addNode(c, "node-a");
    const sc = storageClass("manual", { provisioner: "example.com/elsewhere" });
    expect((await c.request("POST", "/apis/storage.k8s.io/v1/storageclasses", sc)).status).toBe(201);
    await c.request("POST", `${NS}/persistentvolumeclaims`, claim("slow", { storageClassName: "manual" }));
    expect((await c.request("POST", `${NS}/pods`, usingClaim("waits", "slow"))).status).toBe(201);
    expect(await failedScheduling(c, "waits")).toBe(
      "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. " +
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
  });
});
