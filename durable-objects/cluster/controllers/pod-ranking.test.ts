import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { podsToDelete } from "./pod-ranking.ts";

interface Opts {
  node?: string;
  phase?: string;
  ready?: boolean;
  readyAt?: string;
  cost?: number;
  restarts?: number;
  created?: string;
}

function pod(name: string, o: Opts = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      creationTimestamp: o.created ?? "2025-01-01T00:00:00Z",
      annotations: o.cost === undefined ? {} : { "controller.kubernetes.io/pod-deletion-cost": String(o.cost) },
    },
    spec: { nodeName: o.node },
    status: {
      phase: o.phase ?? "Running",
      conditions: [
        {
          type: "Ready",
          status: o.ready === false ? "False" : "True",
          lastTransitionTime: o.readyAt ?? "2025-01-01T00:00:00Z",
        },
      ],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

describe("deletion order", () => {
  it.each([
    ["unscheduled before scheduled", pod("a", { node: "n1" }), pod("b")],
    ["pending before running", pod("a", { node: "n1" }), pod("b", { node: "n2", phase: "Pending" })],
    ["not ready before ready", pod("a", { node: "n1" }), pod("b", { node: "n2", ready: false })],
    ["lower deletion cost first", pod("a", { node: "n1", cost: 10 }), pod("b", { node: "n2", cost: -5 })],
    ["ready more recently first", pod("a", { node: "n1" }), pod("b", { node: "n2", readyAt: "2025-01-02T00:00:00Z" })],
    ["more restarts first", pod("a", { node: "n1" }), pod("b", { node: "n2", restarts: 3 })],
    ["newer first", pod("a", { node: "n1" }), pod("b", { node: "n2", created: "2025-02-01T00:00:00Z" })],
  ])("%s", (_what, keep, doomed) => {
    expect(podsToDelete([keep, doomed], 1).map((p) => p.metadata.name)).toEqual(["b"]);
    expect(podsToDelete([doomed, keep], 1).map((p) => p.metadata.name)).toEqual(["b"]);
  });

  it("prefers pods doubled up on a node", () => {
    const pods = [pod("alone", { node: "n1" }), pod("twin1", { node: "n2" }), pod("twin2", { node: "n2" })];
    expect(podsToDelete(pods, 1)[0].metadata.name).toMatch(/^twin/);
  });
});
