// Expansion end to end: a Bound claim of a class allowing expansion grows, its volume's capacity follows,
// the claim's status records the new size, and `kubectl describe pvc` shows the resizer's events.
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { addNode, type Json, NS, storageClass, until } from "./workers-helpers.ts";

const PVC = `${NS}/persistentvolumeclaims`;

describe("volume expansion", () => {
  it("grows the volume of a Bound claim and records the new capacity", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const sc = storageClass("grow", { allowVolumeExpansion: true });
    expect((await c.request("POST", "/apis/storage.k8s.io/v1/storageclasses", sc)).status).toBe(201);
    const claim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "grow" },
    };
    expect((await c.request("POST", PVC, claim)).status).toBe(201);
    const bound = await until(async () => {
      const pvc = (await c.request("GET", `${PVC}/data`)).body;
      return pvc.status?.phase === "Bound" ? pvc : undefined;
    }, "data Bound");
    const patch = { spec: { resources: { requests: { storage: "3Gi" } } } };
    const grown = await c.request("PATCH", `${PVC}/data`, patch, { "content-type": "application/merge-patch+json" });
    expect(grown.status).toBe(200);
    const resized = await until(async () => {
      const pvc = (await c.request("GET", `${PVC}/data`)).body;
      return pvc.status?.capacity?.storage === "3Gi" ? pvc : undefined;
    }, "claim capacity 3Gi");
    expect(resized.status.allocatedResources).toEqual({ storage: "3Gi" });
    const pv = (await c.request("GET", `/api/v1/persistentvolumes/${bound.spec.volumeName}`)).body;
    expect(pv.spec.capacity.storage).toBe("3Gi");
    const events = (await c.request("GET", `${NS}/events?fieldSelector=involvedObject.name%3Ddata`)).body.items;
    const said = events.map((e: Json) => `${e.source?.component}: ${e.reason}: ${e.message}`);
    expect(said).toContain(
      `external-resizer flotilla.dev/local-path: Resizing: External resizer is resizing volume ${pv.metadata.name}`,
    );
    expect(said).toContain("external-resizer flotilla.dev/local-path: VolumeResizeSuccessful: Resize volume succeeded");
  });
});
