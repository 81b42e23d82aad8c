import { describe, expect, it } from "vitest";
import type { Pod, PodStatus } from "../../../kube/pod-types.ts";
import { diffNodePods, knownAfterWrites, mergePodStatus, podReferences } from "./pod-sync.ts";

describe("podReferences", () => {
  it("collects config maps and secrets from env, envFrom and volumes of all containers", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        initContainers: [{ name: "i", envFrom: [{ secretRef: { name: "s-init" } }] }],
        containers: [
          {
            name: "c",
            env: [
              { name: "A", valueFrom: { configMapKeyRef: { name: "cm-env", key: "k" } } },
              { name: "B", valueFrom: { secretKeyRef: { name: "s-env", key: "k" } } },
              { name: "C", value: "plain" },
            ],
            envFrom: [{ configMapRef: { name: "cm-from" } }],
          },
        ],
        volumes: [
          { name: "v1", configMap: { name: "cm-vol" } },
          { name: "v2", secret: { secretName: "s-vol" } },
          { name: "v3", emptyDir: {} },
        ],
      },
    };
    const refs = podReferences(pod);
    expect([...refs.configMaps].sort()).toEqual(["cm-env", "cm-from", "cm-vol"]);
    expect([...refs.secrets].sort()).toEqual(["s-env", "s-init", "s-vol"]);
  });
});

describe("mergePodStatus", () => {
  it("keeps conditions and fields the agent does not own", () => {
    const stored = {
      phase: "Pending",
      qosClass: "BestEffort",
      nominatedNodeName: "x",
      conditions: [
        { type: "PodScheduled", status: "True" },
        { type: "example.com/gate", status: "True" },
      ],
    } as Partial<PodStatus>;
    const agent: PodStatus = {
      phase: "Running",
      conditions: [
        { type: "PodScheduled", status: "True", reason: "new" },
        { type: "Ready", status: "True" },
      ],
    };
    const merged = mergePodStatus(stored, agent);
    expect(merged.phase).toBe("Running");
    expect(merged.qosClass).toBe("BestEffort");
    expect(merged.conditions?.map((c) => `${c.type}:${c.reason ?? ""}`)).toEqual([
      "PodScheduled:new",
      "Ready:",
      "example.com/gate:",
    ]);
  });
});

describe("diffNodePods", () => {
  const pod = (uid: string, rv: string) => ({ metadata: { uid, resourceVersion: rv } });
  it.each([
    ["nothing known", [pod("a", "1")], [], ["a"], []],
    ["up to date", [pod("a", "1")], [["a", "1"]], [], []],
    ["changed", [pod("a", "2")], [["a", "1"]], ["a"], []],
    ["gone", [], [["a", "1"]], [], ["a"]],
  ] as const)("%s", (_, bound, known, changed, stop) => {
    const diff = diffNodePods([...bound], new Map(known as unknown as [string, string][]));
    expect(diff.changed.map((p) => p.metadata.uid)).toEqual(changed);
    expect(diff.stop).toEqual(stop);
  });
});

describe("knownAfterWrites", () => {
  const held = [
    { uid: "a", resourceVersion: "10" },
    { uid: "b", resourceVersion: "10" },
    { uid: "c", resourceVersion: "7" },
  ];
  it("takes a status write as known only when it was made on the version the agent holds", () => {
    // a: written on top of the agent's copy; b: deleted (rv 11) before the write (rv 12); c: not written.
    const { known, acknowledged } = knownAfterWrites(held, { a: "10", b: "11" }, { a: "11", b: "12" });
    expect(acknowledged).toEqual({ a: "11" });
    expect(Object.fromEntries(known)).toEqual({ a: "11", b: "10", c: "7" });
    // b stays behind, so diffNodePods sends it (with its deletionTimestamp) in the same answer.
    const diff = diffNodePods([{ metadata: { uid: "b", resourceVersion: "12" } }], known);
    expect(diff.changed.map((p) => p.metadata.uid)).toEqual(["b"]);
  });

  it("a write that changed nothing keeps the agent's version", () => {
    const { acknowledged } = knownAfterWrites([{ uid: "a", resourceVersion: "10" }], { a: "10" }, { a: "10" });
    expect(acknowledged).toEqual({ a: "10" });
  });
});
