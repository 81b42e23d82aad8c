import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { type Action, ordinalOf, type PlanInput, planStatefulSet } from "./statefulset-plan.ts";

// A pod spelled "<ordinal>[:<state>][:<revision>]": state ready (default), pending, notready,
// failed or deleting; revision new (default) or old.
function pod(spec: string): KubeObject {
  const [ord, state = "ready", rev = "new"] = spec.split(":");
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `web-${ord}`,
      labels: { "controller-revision-hash": rev },
      ...(state === "deleting" ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: {},
    status: {
      phase: state === "pending" ? "Pending" : state === "failed" ? "Failed" : "Running",
      conditions: [{ type: "Ready", status: state === "ready" || state === "deleting" ? "True" : "False" }],
    },
  } as KubeObject;
}

function plan(pods: string[], opts: Partial<PlanInput> = {}): string[] {
  const input: PlanInput = {
    setName: "web",
    start: 0,
    replicas: 3,
    pods: pods.map(pod),
    monotonic: true,
    minReadySeconds: 0,
    now: Date.now(),
    updateRevision: "new",
    partition: 0,
    ...opts,
  };
  return planStatefulSet(input).map((a: Action) =>
    a.type === "create" ? `create ${a.ordinal}` : `delete ${a.pod.metadata.name} (${a.why})`,
  );
}

describe("ordinals", () => {
  it.each([
    ["web-0", 0],
    ["web-12", 12],
    ["web-x", -1],
    ["other-1", -1],
    ["web-web-1", -1],
  ])("%s → %d", (name, want) => {
    expect(ordinalOf("web", { metadata: { name } } as KubeObject)).toBe(want);
  });
});

describe("OrderedReady", () => {
  it.each([
    ["starts with web-0", [], {}, ["create 0"]],
    ["waits for web-0 to be running", ["0:pending"], {}, []],
    ["waits for web-0 to be ready", ["0:notready"], {}, []],
    ["creates web-1 after a ready web-0", ["0"], {}, ["create 1"]],
    ["fills a gap first", ["0", "2"], {}, ["create 1"]],
    ["waits for a terminating pod", ["0:deleting", "1"], {}, []],
    ["deletes a failed pod to recreate it", ["0", "1:failed", "2"], {}, ["delete web-1 (finished)"]],
    ["scales down from the highest ordinal", ["0", "1", "2", "3", "4"], {}, ["delete web-4 (scale)"]],
    ["scale-down waits for a terminating pod", ["0", "1", "2", "3", "4:deleting"], {}, []],
    ["scale-down waits while a replica is unhealthy", ["0:notready", "1", "2", "3"], {}, []],
    ["an unhealthy condemned pod may go", ["0", "1", "2", "3:notready"], {}, ["delete web-3 (scale)"]],
    ["start ordinal 5", ["5"], { start: 5, replicas: 2 }, ["create 6"]],
    ["a pod below the start is condemned", ["0", "5", "6"], { start: 5, replicas: 2 }, ["delete web-0 (scale)"]],
  ])("%s", (_name, pods, opts, want) => {
    expect(plan(pods, opts)).toEqual(want);
  });
});

describe("Parallel", () => {
  const parallel = { monotonic: false };
  it.each([
    ["creates every pod at once", [], ["create 0", "create 1", "create 2"]],
    ["creates past unready pods", ["0:pending"], ["create 1", "create 2"]],
    ["scales down all at once", ["0:notready", "1", "2", "3", "4"], ["delete web-4 (scale)", "delete web-3 (scale)"]],
    ["recreates a failed pod beside others", ["0:failed"], ["delete web-0 (finished)", "create 1", "create 2"]],
  ])("%s", (_name, pods, want) => {
    expect(plan(pods, parallel)).toEqual(want);
  });
});

describe("rolling update", () => {
  it.each([
    ["replaces the highest outdated pod", ["0:ready:old", "1:ready:old", "2:ready:old"], {}, ["delete web-2 (update)"]],
    ["waits for the replaced pod to be ready", ["0:ready:old", "1:ready:old", "2:notready"], {}, []],
    ["moves down once it is", ["0:ready:old", "1:ready:old", "2"], {}, ["delete web-1 (update)"]],
    ["stops at the partition", ["0:ready:old", "1", "2"], { partition: 1 }, []],
    [
      "a partition past the replicas updates nothing",
      ["0:ready:old", "1:ready:old", "2:ready:old"],
      { partition: 3 },
      [],
    ],
    ["OnDelete leaves old pods alone", ["0:ready:old", "1:ready:old", "2:ready:old"], { partition: null }, []],
    ["done when every pod is updated", ["0", "1", "2"], {}, []],
  ])("%s", (_name, pods, opts, want) => {
    expect(plan(pods, opts as Partial<PlanInput>)).toEqual(want);
  });
});
