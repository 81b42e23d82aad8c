// VolumeBinding over an in-memory storage view: pre-filter rejections worded as upstream's, and which
// nodes a pod's bound, delayed and missing claims leave it.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../../kube/types.ts";
import { fitErrorMessage } from "../fit-error.ts";
import { Framework } from "../framework.ts";
import { type TestNode, testCache, testPod } from "../test-helpers.ts";
import type { StorageView } from "../types.ts";
import { nodeUnschedulable } from "./node-unschedulable.ts";
import { ERR_BIND_CONFLICT, ERR_NODE_CONFLICT, ERR_PV_NOT_EXIST, volumeBinding } from "./volume-binding.ts";

const onHost = (host: string) => ({
  required: {
    nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [host] }] }],
  },
});

const claim = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default", uid: `uid-${name}`, ...meta },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, ...spec },
});

const volume = (name: string, spec: Record<string, unknown>, phase = "Available"): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name },
  spec: { capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], ...spec },
  status: { phase },
});

const sc = (name: string, mode: string, provisioner = "flotilla.dev/local-path", extra = {}): KubeObject => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name },
  provisioner,
  volumeBindingMode: mode,
  ...extra,
});

function storageOf(objects: KubeObject[]): StorageView {
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  return {
    claim: (ns, name) =>
      of("PersistentVolumeClaim").find((o) => o.metadata.namespace === ns && o.metadata.name === name),
    volume: (name) => of("PersistentVolume").find((o) => o.metadata.name === name),
    storageClass: (name) => of("StorageClass").find((o) => o.metadata.name === name),
    volumes: () => of("PersistentVolume"),
  };
}

const usingClaims = (...names: string[]) =>
  testPod("p", {
    spec: { volumes: names.map((n, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: n } })) },
  });

const CLASSES = [
  sc("local-path", "WaitForFirstConsumer"),
  sc("now", "Immediate"),
  sc("local-storage", "WaitForFirstConsumer", "kubernetes.io/no-provisioner"),
];

/** The FailedScheduling message for the pod over nodes a and b, or the node chosen. */
function schedule(
  objects: KubeObject[],
  pod = usingClaims("data"),
  nodes: TestNode[] = [{ name: "a" }, { name: "b" }],
) {
  const cache = testCache(nodes);
  cache.storage = storageOf([...CLASSES, ...objects]);
  const fw = new Framework([nodeUnschedulable, volumeBinding], cache);
  const attempt = fw.schedule(pod);
  if (attempt.node) return { node: attempt.node.name };
  return { message: fitErrorMessage(attempt.numAllNodes, attempt.statuses.values(), "", attempt.preFilterMsg) };
}

describe("VolumeBinding", () => {
  it("skips pods without claims", () => {
    expect(schedule([], testPod("p"), [{ name: "a" }]).node).toBe("a");
  });

  it("keeps a pod with a bound claim on its volume's node", () => {
    const objects = [
      claim("data", { storageClassName: "local-path", volumeName: "pv-1" }),
      volume("pv-1", { nodeAffinity: onHost("b"), local: { path: "/x" } }, "Bound"),
    ];
    for (let i = 0; i < 4; i++) expect(schedule(objects).node).toBe("b");
  });

  it("reports a volume node affinity conflict when the volume's node is cordoned", () => {
    const objects = [
      claim("data", { storageClassName: "local-path", volumeName: "pv-1" }),
      volume("pv-1", { nodeAffinity: onHost("a") }, "Bound"),
    ];
    expect(schedule(objects, usingClaims("data"), [{ name: "a", unschedulable: true }, { name: "b" }])).toEqual({
      message: `0/2 nodes are available: 1 ${ERR_NODE_CONFLICT}, 1 node(s) were unschedulable.`,
    });
  });

  it("rejects outright a missing claim, one being deleted, and an unbound Immediate one", () => {
    expect(schedule([]).message).toBe('0/2 nodes are available: persistentvolumeclaim "data" not found.');
    const deleting = claim("data", {}, { deletionTimestamp: "2026-01-01T00:00:00Z" });
    expect(schedule([deleting]).message).toBe(
      '0/2 nodes are available: persistentvolumeclaim "data" is being deleted.',
    );
    expect(schedule([claim("data", { storageClassName: "now" })]).message).toBe(
      "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
    );
    const ephemeral = testPod("web", {
      spec: { volumes: [{ name: "scratch", ephemeral: { volumeClaimTemplate: {} } }] },
    });
    expect(schedule([], ephemeral).message).toBe(
      '0/2 nodes are available: waiting for ephemeral volume controller to create the persistentvolumeclaim "web-scratch".',
    );
  });

  it("reports a claim bound to a volume that does not exist", () => {
    expect(schedule([claim("data", { volumeName: "gone" })]).message).toBe(
      `0/2 nodes are available: 2 ${ERR_PV_NOT_EXIST}.`,
    );
  });

  it("admits a WaitForFirstConsumer claim anywhere its class can provision", () => {
    expect(schedule([claim("data", { storageClassName: "local-path" })]).node).toBeDefined();
    const zoned = sc("zoned", "WaitForFirstConsumer", "flotilla.dev/local-path", {
      allowedTopologies: [{ matchLabelExpressions: [{ key: "kubernetes.io/hostname", values: ["b"] }] }],
    });
    for (let i = 0; i < 4; i++) expect(schedule([zoned, claim("data", { storageClassName: "zoned" })]).node).toBe("b");
  });

  it("keeps a delayed claim's pods on the node it was already handed to", () => {
    const handed = claim(
      "data",
      { storageClassName: "local-path" },
      {
        annotations: { "volume.kubernetes.io/selected-node": "b" },
      },
    );
    for (let i = 0; i < 4; i++) expect(schedule([handed]).node).toBe("b");
    expect(schedule([handed], usingClaims("data"), [{ name: "a" }]).message).toBe(
      `0/1 nodes are available: 1 ${ERR_BIND_CONFLICT}.`,
    );
  });

  it("sends a no-provisioner claim to the node holding a matching Available local volume, else nowhere", () => {
    const wants = claim("data", { storageClassName: "local-storage" });
    const local = volume("local-a", {
      storageClassName: "local-storage",
      nodeAffinity: onHost("a"),
      local: { path: "/d" },
    });
    for (let i = 0; i < 4; i++) expect(schedule([wants, local]).node).toBe("a");
    expect(schedule([wants]).message).toBe(`0/2 nodes are available: 2 ${ERR_BIND_CONFLICT}.`);
    const small = { ...local, spec: { ...local.spec, capacity: { storage: "100Mi" } } };
    expect(schedule([wants, small]).message).toBe(`0/2 nodes are available: 2 ${ERR_BIND_CONFLICT}.`);
  });
});
