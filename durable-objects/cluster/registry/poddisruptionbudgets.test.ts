import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { podDisruptionBudgets } from "./poddisruptionbudgets.ts";

const pdb = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "web", namespace: "default" },
  spec: { selector: { matchLabels: { app: "web" } }, ...spec },
  ...(status ? { status } : {}),
});

const errors = (o: KubeObject) => (podDisruptionBudgets.validate?.(o) ?? []).map(fieldErrorText);

describe("PodDisruptionBudget validation", () => {
  it.each([
    ["minAvailable int", { minAvailable: 2 }],
    ["minAvailable percent", { minAvailable: "50%" }],
    ["maxUnavailable int", { maxUnavailable: 1 }],
    ["maxUnavailable 100%", { maxUnavailable: "100%" }],
    ["neither (the controller then allows none)", {}],
    ["a policy", { maxUnavailable: 1, unhealthyPodEvictionPolicy: "AlwaysAllow" }],
  ])("accepts %s", (_name, spec) => {
    expect(errors(pdb(spec))).toEqual([]);
  });

  it.each([
    ["both fields", { minAvailable: 1, maxUnavailable: 1 }, "minAvailable and maxUnavailable cannot be both set"],
    [
      "a negative minAvailable",
      { minAvailable: -1 },
      "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0",
    ],
    ["a bad percent", { maxUnavailable: "half" }, 'spec.maxUnavailable: Invalid value: "half": a valid percent string'],
    ["over 100%", { minAvailable: "150%" }, 'spec.minAvailable: Invalid value: "150%": must not be greater than 100%'],
    [
      "a bad selector operator",
      { selector: { matchExpressions: [{ key: "a", operator: "Is" }] } },
      "spec.selector.matchExpressions[0].operator",
    ],
    [
      "an unknown policy",
      { unhealthyPodEvictionPolicy: "Never" },
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never"',
    ],
  ])("refuses %s", (_name, spec, want) => {
    const got = errors(pdb(spec));
    expect(got.length).toBeGreaterThan(0);
    expect(got.join("\n")).toContain(want);
  });

  it("refuses negative status counts", () => {
    expect(errors(pdb({ minAvailable: 1 }, { disruptionsAllowed: -1 }))).toEqual([
      "status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });
});

describe("PodDisruptionBudget columns", () => {
  it("print N/A for the unset field and the allowed disruptions", () => {
    const o = pdb({ minAvailable: "50%" }, { disruptionsAllowed: 2 });
    const cells = podDisruptionBudgets.columns.slice(0, 3).map((c) => c.cell(o, { now: 0 }));
    expect(cells).toEqual(["50%", "N/A", 2]);
    expect(podDisruptionBudgets.columns.map((c) => c.name)).toEqual([
      "Min Available",
      "Max Unavailable",
      "Allowed Disruptions",
      "Age",
    ]);
  });

  it("start with a zero status", () => {
    const o = pdb({ minAvailable: 1 }, { disruptionsAllowed: 5 });
    podDisruptionBudgets.prepareForCreate?.(o);
    expect(o.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });
});
