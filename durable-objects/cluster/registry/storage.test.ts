// PersistentVolume, PersistentVolumeClaim and StorageClass validation and cells, against the texts of
// upstream's pkg/apis/core/validation and pkg/apis/storage/validation and pkg/printers.
import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { persistentVolumeClaims } from "./persistentvolumeclaims.ts";
import { persistentVolumes } from "./persistentvolumes.ts";
import { storageClasses } from "./storageclasses.ts";
import type { ResourceKind } from "./types.ts";

const texts = (kind: ResourceKind, o: KubeObject) => (kind.validate?.(o) ?? []).map(fieldErrorText);
const updateTexts = (kind: ResourceKind, o: KubeObject, old: KubeObject) =>
  (kind.validateUpdate?.(o, old) ?? []).map(fieldErrorText);

const pv = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name: "pv1" },
  spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], hostPath: { path: "/data" }, ...spec },
});

const pvc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data", namespace: "default" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
  ...(status ? { status } : {}),
});

const sc = (fields: Record<string, unknown>): KubeObject => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: "fast" },
  provisioner: "example.com/fast",
  reclaimPolicy: "Delete",
  volumeBindingMode: "Immediate",
  ...fields,
});

const cell = (kind: ResourceKind, name: string, o: KubeObject) =>
  kind.columns.find((c) => c.name === name)?.cell(o, { now: Date.now() });

describe("PersistentVolume validation", () => {
  it("accepts a hostPath volume and a local one with node affinity", () => {
    expect(texts(persistentVolumes, pv({}))).toEqual([]);
    const affinity = {
      required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "k", operator: "In", values: ["a"] }] }] },
    };
    expect(
      texts(persistentVolumes, pv({ hostPath: undefined, local: { path: "/mnt" }, nodeAffinity: affinity })),
    ).toEqual([]);
  });

  it.each([
    ["no access modes", { accessModes: [] }, "spec.accessModes: Required value"],
    [
      "an unknown access mode",
      { accessModes: ["ReadWriteSometimes"] },
      'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    ],
    [
      "ReadWriteOncePod with another mode",
      { accessModes: ["ReadWriteOncePod", "ReadWriteOnce"] },
      "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
    ],
    ["no capacity", { capacity: {} }, "spec.capacity: Required value"],
    [
      "a zero capacity",
      { capacity: { storage: "0" } },
      'spec.capacity[storage]: Invalid value: "0": must be greater than zero',
    ],
    ["no source", { hostPath: undefined }, "spec: Required value: must specify a volume type"],
    [
      "two sources",
      { nfs: { server: "x", path: "/" } },
      "spec.nfs: Forbidden: may not specify more than 1 volume type",
    ],
    [
      "a local volume without node affinity",
      { hostPath: undefined, local: { path: "/mnt" } },
      "spec.nodeAffinity: Required value: Local volumes require node affinity",
    ],
    [
      "a bad reclaim policy",
      { persistentVolumeReclaimPolicy: "Shred" },
      'spec.persistentVolumeReclaimPolicy: Unsupported value: "Shred": supported values: "Delete", "Recycle", "Retain"',
    ],
    [
      "a backstep in the path",
      { hostPath: { path: "/a/../b" } },
      "spec.hostPath.path: Invalid value: \"/a/../b\": must not contain '..'",
    ],
  ])("refuses %s", (_what, spec, message) => {
    expect(texts(persistentVolumes, pv(spec))).toContain(message);
  });

  it("keeps the source immutable and lets node affinity be set once", () => {
    const old = pv({});
    expect(updateTexts(persistentVolumes, pv({ hostPath: { path: "/other" } }), old)).toEqual([
      "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation",
    ]);
    const affinity = { required: { nodeSelectorTerms: [{ matchFields: [] }] } };
    expect(updateTexts(persistentVolumes, pv({ nodeAffinity: affinity }), old)).toEqual([]);
  });

  it("prints upstream's cells", () => {
    const bound = pv({ claimRef: { namespace: "default", name: "data" }, storageClassName: "local-path" });
    bound.status = { phase: "Bound" };
    expect(cell(persistentVolumes, "Capacity", bound)).toBe("1Gi");
    expect(cell(persistentVolumes, "Access Modes", pv({ accessModes: ["ReadWriteMany", "ReadWriteOnce"] }))).toBe(
      "RWO,RWX",
    );
    expect(cell(persistentVolumes, "Claim", bound)).toBe("default/data");
    expect(cell(persistentVolumes, "StorageClass", bound)).toBe("local-path");
    expect(cell(persistentVolumes, "VolumeAttributesClass", bound)).toBe("<unset>");
    expect(cell(persistentVolumes, "Status", bound)).toBe("Bound");
  });
});

describe("PersistentVolumeClaim validation", () => {
  it.each([
    ["no access modes", { accessModes: [] }, "spec.accessModes: Required value: at least 1 access mode is required"],
    ["no storage request", { resources: {} }, "spec.resources[storage]: Required value"],
    [
      "a zero request",
      { resources: { requests: { storage: "0" } } },
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ],
    [
      "a bad class name",
      { storageClassName: "Fast_Disk" },
      'spec.storageClassName: Invalid value: "Fast_Disk": a lowercase RFC 1123 subdomain',
    ],
  ])("refuses %s", (_what, spec, message) => {
    expect(texts(persistentVolumeClaims, pvc(spec)).join("\n")).toContain(message);
  });

  it("lets the controller set volumeName once and a class be set where none was", () => {
    expect(updateTexts(persistentVolumeClaims, pvc({ volumeName: "pv1" }), pvc({}))).toEqual([]);
    expect(updateTexts(persistentVolumeClaims, pvc({ volumeName: "pv2" }), pvc({ volumeName: "pv1" }))).toEqual([
      "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
    ]);
    expect(updateTexts(persistentVolumeClaims, pvc({ storageClassName: "x" }), pvc({}))).toEqual([]);
    expect(
      updateTexts(persistentVolumeClaims, pvc({ storageClassName: "y" }), pvc({ storageClassName: "x" })),
    ).toHaveLength(1);
  });

  it("lets a bound claim grow but never shrink; an unbound one may not change size", () => {
    const grown = pvc({ resources: { requests: { storage: "2Gi" } } }, { phase: "Bound" });
    expect(updateTexts(persistentVolumeClaims, grown, pvc({}, { phase: "Bound" }))).toEqual([]);
    const shrunk = pvc({ resources: { requests: { storage: "512Mi" } } }, { phase: "Bound" });
    expect(updateTexts(persistentVolumeClaims, shrunk, pvc({}, { phase: "Bound" }))).toEqual([
      "spec.resources.requests.storage: Forbidden: field can not be less than previous value",
    ]);
    const pending = pvc({ resources: { requests: { storage: "2Gi" } } }, { phase: "Pending" });
    expect(updateTexts(persistentVolumeClaims, pending, pvc({}, { phase: "Pending" }))).toHaveLength(1);
  });

  it("prints capacity and modes only once bound", () => {
    const pending = pvc({ storageClassName: "local-path" }, { phase: "Pending" });
    expect(cell(persistentVolumeClaims, "Capacity", pending)).toBe("");
    const bound = pvc(
      { storageClassName: "local-path", volumeName: "pv1" },
      { phase: "Bound", capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"] },
    );
    expect(cell(persistentVolumeClaims, "Capacity", bound)).toBe("1Gi");
    expect(cell(persistentVolumeClaims, "Access Modes", bound)).toBe("RWO");
    expect(cell(persistentVolumeClaims, "StorageClass", bound)).toBe("local-path");
  });
});

describe("StorageClass validation", () => {
  it.each([
    ["no provisioner", { provisioner: "" }, "provisioner: Required value"],
    [
      "a bad reclaim policy",
      { reclaimPolicy: "Recycle" },
      'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
    ],
    [
      "a bad binding mode",
      { volumeBindingMode: "Later" },
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ],
    ["an empty parameter key", { parameters: { "": "x" } }, 'parameters: Invalid value: "": field can not be empty.'],
  ])("refuses %s", (_what, fields, message) => {
    expect(texts(storageClasses, sc(fields))).toContain(message);
  });

  it("defaults the reclaim policy and binding mode", () => {
    const o = sc({ reclaimPolicy: undefined, volumeBindingMode: undefined });
    storageClasses.defaults?.(o);
    expect([o.reclaimPolicy, o.volumeBindingMode]).toEqual(["Delete", "Immediate"]);
  });

  it("forbids changing what provisioned volumes depend on", () => {
    expect(updateTexts(storageClasses, sc({ parameters: { a: "b" }, reclaimPolicy: "Retain" }), sc({}))).toEqual([
      "parameters: Forbidden: updates to parameters are forbidden.",
      "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
    ]);
    expect(updateTexts(storageClasses, sc({ allowVolumeExpansion: true }), sc({}))).toEqual([]);
  });

  it("marks the default class in its name cell", () => {
    const def = sc({});
    def.metadata.annotations = { "storageclass.kubernetes.io/is-default-class": "true" };
    expect(cell(storageClasses, "Name", def)).toBe("fast (default)");
    expect(cell(storageClasses, "Name", sc({}))).toBe("fast");
    expect(cell(storageClasses, "AllowVolumeExpansion", sc({}))).toBe(false);
  });
});
