// The storage kinds through the API: the default class every cluster starts with, the default-class
// and protection admission on create, resize admission on update, and the Tables kubectl prints.
import { describe, expect, it } from "vitest";
import { type Json, NS, until } from "../controllers/workers-helpers.ts";
import { newCluster } from "../testing/cluster-client.ts";

const TABLE = { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" };
const SC = "/apis/storage.k8s.io/v1/storageclasses";

const claim = (name: string, spec: Json = {}) => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});

describe("storage admission and tables", () => {
  it("starts every cluster with local-path as the default class, printed as kubectl get sc does", async () => {
    const c = await newCluster();
    const table = await c.request("GET", SC, undefined, TABLE);
    expect(table.status).toBe(200);
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual([
      "Name",
      "Provisioner",
      "ReclaimPolicy",
      "VolumeBindingMode",
      "AllowVolumeExpansion",
      "Age",
    ]);
    expect(table.body.rows.map((r: Json) => r.cells.slice(0, 5))).toEqual([
      ["local-path (default)", "flotilla.dev/local-path", "Delete", "WaitForFirstConsumer", false],
    ]);
  });

  it("gives a claim without a class the default one and the protection finalizer; an explicit empty class stays", async () => {
    const c = await newCluster();
    const made = await c.request("POST", `${NS}/persistentvolumeclaims`, claim("data"));
    expect(made.status).toBe(201);
    expect(made.body.spec.storageClassName).toBe("local-path");
    expect(made.body.metadata.finalizers).toEqual(["kubernetes.io/pvc-protection"]);
    expect(made.body.status).toEqual({ phase: "Pending" });
    const none = await c.request("POST", `${NS}/persistentvolumeclaims`, claim("static", { storageClassName: "" }));
    expect(none.body.spec.storageClassName).toBe("");

    const table = await c.request("GET", `${NS}/persistentvolumeclaims/data`, undefined, TABLE);
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual([
      "Name",
      "Status",
      "Volume",
      "Capacity",
      "Access Modes",
      "StorageClass",
      "VolumeAttributesClass",
      "Age",
      "VolumeMode",
    ]);
    expect(table.body.rows[0].cells.slice(0, 7)).toEqual(["data", "Pending", "", "", "", "local-path", "<unset>"]);
  });

  it("refuses an invalid claim with upstream's 422 and stores nothing", async () => {
    const c = await newCluster();
    const bad = await c.request("POST", `${NS}/persistentvolumeclaims`, claim("bad", { accessModes: [] }));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toBe(
      'PersistentVolumeClaim "bad" is invalid: spec.accessModes: Required value: at least 1 access mode is required',
    );
    expect((await c.request("GET", `${NS}/persistentvolumeclaims/bad`)).status).toBe(404);
  });

  it("refuses growing an unbound claim (422) and a bound one whose class does not allow expansion (403)", async () => {
    const c = await newCluster();
    const made = await c.request("POST", `${NS}/persistentvolumeclaims`, claim("data"));
    const grown = structuredClone(made.body);
    grown.spec.resources.requests.storage = "2Gi";
    const unbound = await c.request("PUT", `${NS}/persistentvolumeclaims/data`, grown);
    expect(unbound.status).toBe(422);
    expect(unbound.body.message).toContain("spec is immutable after creation except resources.requests");
    // A claim bound for real (the PV controller resets a hand-written Bound phase) to a volume made by hand.
    const pv = {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pv-static" },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce"],
        hostPath: { path: "/tmp/pv-static" },
        storageClassName: "manual",
      },
    };
    expect((await c.request("POST", "/api/v1/persistentvolumes", pv)).status).toBe(201);
    expect(
      (await c.request("POST", `${NS}/persistentvolumeclaims`, claim("static", { storageClassName: "manual" }))).status,
    ).toBe(201);
    const bound = await until(async () => {
      const got = (await c.request("GET", `${NS}/persistentvolumeclaims/static`)).body;
      return got.status?.phase === "Bound" ? got : undefined;
    }, "static Bound");
    bound.spec.resources.requests.storage = "2Gi";
    const res = await c.request("PUT", `${NS}/persistentvolumeclaims/static`, bound);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'persistentvolumeclaims "static" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
    expect((await c.request("GET", `${NS}/persistentvolumeclaims/static`)).body.spec.resources.requests.storage).toBe(
      "1Gi",
    );
  });

  it("creates a volume Pending with its finalizer and prints its row", async () => {
    const c = await newCluster();
    const made = await c.request("POST", "/api/v1/persistentvolumes", {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "pv1" },
      spec: { capacity: { storage: "5Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/tmp/pv1" } },
    });
    expect(made.status).toBe(201);
    expect(made.body.metadata.finalizers).toEqual(["kubernetes.io/pv-protection"]);
    expect(made.body.spec.persistentVolumeReclaimPolicy).toBe("Retain");
    const table = await c.request("GET", "/api/v1/persistentvolumes", undefined, TABLE);
    expect(table.body.columnDefinitions.map((d: Json) => d.name)).toEqual([
      "Name",
      "Capacity",
      "Access Modes",
      "Reclaim Policy",
      "Status",
      "Claim",
      "StorageClass",
      "VolumeAttributesClass",
      "Reason",
      "Age",
      "VolumeMode",
    ]);
    expect(table.body.rows[0].cells.slice(0, 9)).toEqual([
      "pv1",
      "5Gi",
      "RWO",
      "Retain",
      expect.any(String),
      "",
      "",
      "<unset>",
      "",
    ]);
  });
});
