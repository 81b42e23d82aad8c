import { describe, expect, it } from "vitest";
import { type NodeTaint, nextTaints, wantedTaints } from "./node-lifecycle-taints.ts";

const NOW = "2026-01-01T00:00:00Z";
const EARLIER = "2025-12-31T23:59:00Z";
const ready = (status: string) => ({ conditions: [{ type: "Ready", status }] });
const user: NodeTaint = { key: "dedicated", value: "gpu", effect: "NoSchedule" };

describe("wantedTaints", () => {
  it.each([
    ["Ready", ready("True"), false, []],
    [
      "not ready",
      ready("False"),
      false,
      [
        { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
        { key: "node.kubernetes.io/not-ready", effect: "NoExecute" },
      ],
    ],
    [
      "unreachable",
      ready("Unknown"),
      false,
      [
        { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
        { key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
      ],
    ],
    ["cordoned", ready("True"), true, [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }]],
    [
      "under memory pressure",
      { conditions: [{ type: "MemoryPressure", status: "True" }, ...ready("True").conditions] },
      false,
      [{ key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" }],
    ],
    ["without conditions", {}, false, []],
  ])("%s", (_name, status, unschedulable, want) => {
    expect(wantedTaints({ spec: { unschedulable }, status })).toEqual(want);
  });
});

describe("nextTaints", () => {
  it("adds both taints of an unreachable node, NoExecute with timeAdded, after the user's", () => {
    expect(nextTaints({ spec: { taints: [user] }, status: ready("Unknown") }, NOW)).toEqual([
      user,
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: NOW },
    ]);
  });

  it("changes nothing when the taints are already right (timeAdded kept)", () => {
    const taints = [
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: EARLIER },
    ];
    expect(nextTaints({ spec: { taints }, status: ready("Unknown") }, NOW)).toBeUndefined();
  });

  it("swaps unreachable for not-ready when the node reports NotReady", () => {
    const taints = [
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: EARLIER },
    ];
    expect(nextTaints({ spec: { taints }, status: ready("False") }, NOW)).toEqual([
      { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
      { key: "node.kubernetes.io/not-ready", effect: "NoExecute", timeAdded: NOW },
    ]);
  });

  it("clears a returning node's taints but keeps the user's and its own unschedulable", () => {
    const taints = [
      user,
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: EARLIER },
      { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
    ];
    expect(nextTaints({ spec: { taints, unschedulable: true }, status: ready("True") }, NOW)).toEqual([
      user,
      { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
    ]);
  });

  it("removes the unschedulable taint on uncordon", () => {
    const taints = [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }];
    expect(nextTaints({ spec: { taints }, status: ready("True") }, NOW)).toEqual([]);
  });

  it("leaves a user's NoExecute taint of another key alone", () => {
    const taints = [{ key: "maintenance", effect: "NoExecute", timeAdded: EARLIER }];
    expect(nextTaints({ spec: { taints }, status: ready("True") }, NOW)).toBeUndefined();
  });
});
