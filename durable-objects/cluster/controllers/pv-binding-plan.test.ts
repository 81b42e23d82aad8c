import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import {
  claimBoundTo,
  findMatchingVolume,
  nodeForImmediate,
  provisionedNodeOf,
  provisionedVolume,
  volumeBoundTo,
  volumeUnbound,
} from "./pv-binding-plan.ts";

const claim = (spec: Record<string, unknown> = {}, name = "data"): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default", uid: `uid-${name}` },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "", ...spec },
});

const volume = (
  name: string,
  storage: string,
  extra: Record<string, unknown> = {},
  phase = "Available",
): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name, labels: { tier: name.startsWith("fast") ? "fast" : "slow" } },
  spec: {
    capacity: { storage },
    accessModes: ["ReadWriteOnce", "ReadOnlyMany"],
    hostPath: { path: `/v/${name}` },
    ...extra,
  },
  status: { phase },
});

const onNode = (node: string) => ({
  nodeAffinity: {
    required: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }],
    },
  },
});

const node = (name: string, ready = true, unschedulable = false, diskPressure = false): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels: { "kubernetes.io/hostname": name } },
  spec: unschedulable ? { unschedulable: true } : {},
  status: {
    conditions: [
      { type: "Ready", status: ready ? "True" : "False" },
      { type: "DiskPressure", status: diskPressure ? "True" : "False" },
    ],
  },
});

describe("findMatchingVolume", () => {
  const immediate = { delayBinding: false };

  it("picks the smallest Available volume that holds the request", () => {
    const vols = [volume("big", "10Gi"), volume("small", "2Gi"), volume("tiny", "512Mi")];
    expect(findMatchingVolume(claim(), vols, immediate)?.metadata.name).toBe("small");
  });

  it("skips volumes of another class, bound ones, missing access modes and unmatched selectors", () => {
    const vols = [
      volume("classy", "1Gi", { storageClassName: "gold" }),
      volume("taken", "1Gi", { claimRef: { namespace: "default", name: "other", uid: "x" } }, "Bound"),
      volume("released", "1Gi", {}, "Released"),
      volume("rwx", "1Gi", { accessModes: ["ReadWriteMany"] }),
      volume("fast", "1Gi"),
      volume("slow", "1Gi"),
    ];
    expect(
      findMatchingVolume(claim({ selector: { matchLabels: { tier: "slow" } } }), vols, immediate)?.metadata.name,
    ).toBe("slow");
    expect(findMatchingVolume(claim({ storageClassName: "gold" }), vols, immediate)?.metadata.name).toBe("classy");
    expect(findMatchingVolume(claim({ accessModes: ["ReadWriteMany"] }), vols, immediate)?.metadata.name).toBe("rwx");
  });

  it("returns the volume pre-bound to the claim before any other", () => {
    const vols = [volume("small", "1Gi"), volume("mine", "5Gi", { claimRef: { namespace: "default", name: "data" } })];
    expect(findMatchingVolume(claim(), vols, immediate)?.metadata.name).toBe("mine");
  });

  it("offers unbound volumes to a delayed claim only with a node, and only volumes reachable from it", () => {
    const vols = [volume("on-a", "1Gi", onNode("a")), volume("on-b", "1Gi", onNode("b"))];
    const delayed = { delayBinding: true };
    expect(findMatchingVolume(claim(), vols, delayed)).toBeUndefined();
    const b = { name: "b", labels: { "kubernetes.io/hostname": "b" } };
    expect(findMatchingVolume(claim(), vols, { ...delayed, node: b })?.metadata.name).toBe("on-b");
  });
});

describe("binding writes", () => {
  it("sets the claimRef (marked bound by the controller) and the claim's volumeName and annotations", () => {
    const v = volumeBoundTo(volume("pv1", "1Gi"), claim());
    expect(v.spec.claimRef).toMatchObject({
      kind: "PersistentVolumeClaim",
      namespace: "default",
      name: "data",
      uid: "uid-data",
    });
    expect(v.metadata.annotations).toEqual({ "pv.kubernetes.io/bound-by-controller": "yes" });
    const c = claimBoundTo(claim(), v);
    expect(c.spec.volumeName).toBe("pv1");
    expect(c.metadata.annotations).toEqual({
      "pv.kubernetes.io/bind-completed": "yes",
      "pv.kubernetes.io/bound-by-controller": "yes",
    });
  });

  it("unbinds a controller-bound volume fully and keeps a user's pre-binding by name", () => {
    expect(volumeUnbound(volumeBoundTo(volume("pv1", "1Gi"), claim())).spec.claimRef).toBeUndefined();
    const pre = volume("pv2", "1Gi", { claimRef: { namespace: "default", name: "data", uid: "old" } });
    expect(volumeUnbound(pre).spec.claimRef).toEqual({ namespace: "default", name: "data" });
  });
});

describe("built-in provisioning", () => {
  it("makes pvc-<uid> as a local directory with node affinity to the chosen node and the class's policy", () => {
    const sc = {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "local-path" },
      reclaimPolicy: "Delete",
    };
    const n = node("a");
    n.metadata.annotations = { "flotilla.dev/volume-dir": "/state/volumes" };
    const pv = provisionedVolume({
      claim: claim({ storageClassName: "local-path" }),
      storageClass: sc,
      node: n,
      provisioner: "p",
    });
    expect(pv.metadata).toEqual({ name: "pvc-uid-data", annotations: { "pv.kubernetes.io/provisioned-by": "p" } });
    expect(pv.spec).toMatchObject({
      capacity: { storage: "1Gi" },
      persistentVolumeReclaimPolicy: "Delete",
      storageClassName: "local-path",
      local: { path: "/state/volumes/pvc-uid-data" },
      claimRef: { name: "data", uid: "uid-data" },
    });
    expect(provisionedNodeOf(pv)).toBe("a");
    const elsewhere = provisionedVolume({
      claim: claim(),
      storageClass: { ...sc, parameters: { basePath: "/mnt/disk/" } },
      node: n,
      provisioner: "p",
    });
    expect(elsewhere.spec.local.path).toBe("/mnt/disk/pvc-uid-data");
  });

  it("puts an Immediate claim on the Ready schedulable node holding fewest volumes", () => {
    const nodes = [node("a"), node("b"), node("c", false), node("d", true, true)];
    expect(nodeForImmediate(nodes, [])).toBe("a");
    expect(nodeForImmediate(nodes, [volume("x", "1Gi", onNode("a"))])).toBe("b");
    expect(nodeForImmediate([node("c", false)], [])).toBeUndefined();
    expect(nodeForImmediate([node("full", true, false, true), node("z")], [])).toBe("z");
  });
});
