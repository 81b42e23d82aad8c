import { expect, it } from "vitest";
import type { AgentNodeStatus } from "../../../kube/agent-protocol.ts";
import { nodeStatusChanged, nodeStatusToStore, unknownConditions } from "./node-status.ts";

const agent = (ready: "True" | "False", heartbeat = "t1"): AgentNodeStatus => ({
  capacity: { cpu: "2" },
  allocatable: { cpu: "2" },
  addresses: [{ type: "InternalIP", address: "10.0.0.1" }],
  nodeInfo: { kubeletVersion: "v1" } as AgentNodeStatus["nodeInfo"],
  conditions: [
    {
      type: "Ready",
      status: ready,
      reason: "KubeletReady",
      message: "m",
      lastHeartbeatTime: heartbeat,
      lastTransitionTime: "t0",
    },
  ],
});

it("writes only on transitions or changed facts, never for heartbeat times alone", () => {
  const stored = nodeStatusToStore(undefined, agent("True"), "now");
  expect(nodeStatusChanged(undefined, agent("True"))).toBe(true);
  expect(nodeStatusChanged(stored, agent("True", "t9"))).toBe(false);
  expect(nodeStatusChanged(stored, agent("False"))).toBe(true);
  expect(nodeStatusChanged(stored, { ...agent("True"), capacity: { cpu: "4" } })).toBe(true);
  expect(stored.conditions[0].lastHeartbeatTime).toBe("now");
});

it("turns conditions Unknown with upstream's text when the node stops posting", () => {
  const out = unknownConditions(
    [{ type: "Ready", status: "True", reason: "KubeletReady", lastTransitionTime: "t0" }],
    "t5",
  );
  expect(out).toEqual([
    {
      type: "Ready",
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastTransitionTime: "t5",
    },
  ]);
  expect(unknownConditions(out, "t6")).toEqual(out);
});
