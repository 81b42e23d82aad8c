// Ephemeral volumes end to end: the pod's claim `<pod>-<volume>` made from its template and owned by the
// pod, provisioned on the pod's node, and deleted with the pod; a same-named claim the pod does not own
// keeps the pod Pending with upstream's reason.
import { describe, expect, it } from "vitest";
import { newCluster, pod } from "../testing/cluster-client.ts";
import { addNode, failedScheduling, type Json, NS, until } from "./workers-helpers.ts";

const withScratch = (name: string) => {
  const p: Json = pod(name);
  p.spec.terminationGracePeriodSeconds = 0;
  p.spec.volumes = [
    {
      name: "scratch",
      ephemeral: {
        volumeClaimTemplate: {
          metadata: { labels: { kind: "scratch" } },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      },
    },
  ];
  return p;
};

describe("ephemeral volume controller", () => {
  it("makes the pod's claim, binds it on the pod's node, and deletes it with the pod", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const created = await c.request("POST", `${NS}/pods`, withScratch("job"));
    expect(created.status).toBe(201);
    const claim = await until(async () => {
      const res = await c.request("GET", `${NS}/persistentvolumeclaims/job-scratch`);
      return res.body.status?.phase === "Bound" ? res.body : undefined;
    }, "job-scratch Bound");
    expect(claim.metadata.labels).toEqual({ kind: "scratch" });
    expect(claim.metadata.ownerReferences).toEqual([
      {
        apiVersion: "v1",
        kind: "Pod",
        name: "job",
        uid: created.body.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const bound = await until(async () => (await c.request("GET", `${NS}/pods/job`)).body.spec.nodeName, "pod bound");
    expect(claim.metadata.annotations["volume.kubernetes.io/selected-node"]).toBe(bound);
    expect((await c.request("DELETE", `${NS}/pods/job`)).status).toBe(200);
    await until(async () => {
      const res = await c.request("GET", `${NS}/persistentvolumeclaims/job-scratch`);
      return res.status === 404 ? true : undefined;
    }, "job-scratch deleted with its pod");
  });

  it("keeps a pod Pending when a claim of its ephemeral volume's name is not its own", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const squatter = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "web-scratch" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    };
    expect((await c.request("POST", `${NS}/persistentvolumeclaims`, squatter)).status).toBe(201);
    expect((await c.request("POST", `${NS}/pods`, withScratch("web"))).status).toBe(201);
    expect(await failedScheduling(c, "web")).toBe(
      "0/1 nodes are available: PVC default/web-scratch was not created for pod default/web (pod is not owner). " +
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
  });
});
