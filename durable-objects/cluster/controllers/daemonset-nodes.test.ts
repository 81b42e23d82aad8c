import { describe, expect, it } from "vitest";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { nodeShouldRunDaemonPod, pinToNode, targetNode, withDaemonTolerations } from "./daemonset-nodes.ts";

function node(
  name: string,
  opts: { labels?: LooseObject; taints?: LooseObject[]; ready?: string; unschedulable?: boolean } = {},
) {
  const ready = opts.ready ?? "True";
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: opts.labels ?? {} },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { conditions: ready === "none" ? [] : [{ type: "Ready", status: ready }] },
  } as KubeObject;
}

const affinity = (exprs: LooseObject[]) => ({
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] },
  },
});

const RUN = { shouldRun: true, shouldContinueRunning: true };
const STAY = { shouldRun: false, shouldContinueRunning: true };
const NO = { shouldRun: false, shouldContinueRunning: false };

describe("nodeShouldRunDaemonPod", () => {
  it.each([
    ["plain ready node", node("n1"), {}, RUN],
    ["template nodeName elsewhere", node("n1"), { nodeName: "n2" }, NO],
    ["template nodeName here", node("n1"), { nodeName: "n1" }, RUN],
    ["nodeSelector matches", node("n1", { labels: { disk: "ssd" } }), { nodeSelector: { disk: "ssd" } }, RUN],
    ["nodeSelector misses", node("n1", { labels: { disk: "hdd" } }), { nodeSelector: { disk: "ssd" } }, NO],
    [
      "required affinity matches",
      node("n1", { labels: { zone: "a" } }),
      { affinity: affinity([{ key: "zone", operator: "In", values: ["a"] }]) },
      RUN,
    ],
    [
      "required affinity misses",
      node("n1", { labels: { zone: "b" } }),
      { affinity: affinity([{ key: "zone", operator: "In", values: ["a"] }]) },
      NO,
    ],
    ["NoSchedule taint, not tolerated", node("n1", { taints: [{ key: "gpu", effect: "NoSchedule" }] }), {}, STAY],
    [
      "NoSchedule taint, tolerated",
      node("n1", { taints: [{ key: "gpu", effect: "NoSchedule" }] }),
      { tolerations: [{ key: "gpu", operator: "Exists" }] },
      RUN,
    ],
    [
      "NoExecute taint, not tolerated",
      node("n1", { taints: [{ key: "gpu", value: "x", effect: "NoExecute" }] }),
      {},
      NO,
    ],
    [
      "NoExecute taint, tolerated by value",
      node("n1", { taints: [{ key: "gpu", value: "x", effect: "NoExecute" }] }),
      { tolerations: [{ key: "gpu", value: "x", effect: "NoExecute" }] },
      RUN,
    ],
    [
      "NoExecute taint, wrong value",
      node("n1", { taints: [{ key: "gpu", value: "x", effect: "NoExecute" }] }),
      { tolerations: [{ key: "gpu", value: "y" }] },
      NO,
    ],
    ["PreferNoSchedule is no obstacle", node("n1", { taints: [{ key: "gpu", effect: "PreferNoSchedule" }] }), {}, RUN],
    ["cordoned node still gets daemons", node("n1", { unschedulable: true }), {}, RUN],
    [
      "memory pressure tolerated",
      node("n1", { taints: [{ key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" }] }),
      {},
      RUN,
    ],
    [
      "network unavailable: not for pod network",
      node("n1", { taints: [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }] }),
      {},
      STAY,
    ],
    [
      "network unavailable: host network is fine",
      node("n1", { taints: [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }] }),
      { hostNetwork: true },
      RUN,
    ],
    ["not ready: existing pods stay", node("n1", { ready: "False" }), {}, STAY],
    ["unreachable: existing pods stay", node("n1", { ready: "Unknown" }), {}, STAY],
    ["no Ready condition yet", node("n1", { ready: "none" }), {}, STAY],
    [
      "not-ready NoExecute taint tolerated by default",
      node("n1", { taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] }),
      {},
      RUN,
    ],
  ])("%s", (_name, n, spec, want) => {
    expect(nodeShouldRunDaemonPod(n, spec)).toEqual(want);
  });
});

describe("daemon pod placement", () => {
  it("adds the daemon tolerations once, keeping the template's", () => {
    const own = { key: "gpu", operator: "Exists" };
    const dup = { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" };
    const got = withDaemonTolerations({ tolerations: [own, dup] });
    expect(got.slice(0, 2)).toEqual([own, dup]);
    expect(got.filter((t) => t.key === dup.key)).toHaveLength(1);
    expect(got).toHaveLength(7);
    expect(withDaemonTolerations({ hostNetwork: true }).at(-1)).toEqual({
      key: "node.kubernetes.io/network-unavailable",
      operator: "Exists",
      effect: "NoSchedule",
    });
  });

  it("pins to the node by matchFields, replacing required terms and keeping the rest", () => {
    const pref = [{ weight: 1, preference: { matchExpressions: [{ key: "a", operator: "Exists" }] } }];
    const a = affinity([{ key: "zone", operator: "In", values: ["a"] }]) as LooseObject;
    a.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = pref;
    const got = pinToNode(a, "n7");
    expect(got.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: "metadata.name", operator: "In", values: ["n7"] }] },
    ]);
    expect(got.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual(pref);
    expect(
      a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields,
    ).toBeUndefined();
  });

  it.each([
    ["bound", { nodeName: "n1" }, "n1"],
    ["pinned", { affinity: pinToNode(undefined, "n2") }, "n2"],
    ["neither", {}, undefined],
  ])("target node of a %s pod", (_name, spec, want) => {
    expect(targetNode({ metadata: {}, spec } as KubeObject)).toBe(want);
  });
});
