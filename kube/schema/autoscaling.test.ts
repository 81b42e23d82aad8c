import { describe, expect, it } from "vitest";
import { ref } from "./dsl.ts";
import { definitionNameFor, definitions } from "./registry.ts";
import { findUnknownFields } from "./unknown-fields.ts";

const V2 = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler";
const V1 = "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler";
const unknown = (def: string, obj: unknown) => findUnknownFields(definitions, ref(def), obj);

// What kubectl autoscale posts (v1) and a full v2 object with every metric source and behavior.
const v1Hpa = {
  apiVersion: "autoscaling/v1",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "web" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
    minReplicas: 1,
    maxReplicas: 3,
    targetCPUUtilizationPercentage: 50,
  },
  status: { currentReplicas: 1, desiredReplicas: 2, currentCPUUtilizationPercentage: 180, lastScaleTime: "x" },
};

const target = { type: "AverageValue", averageValue: "100m" };
const metric = { name: "qps", selector: { matchLabels: { app: "web" } } };
const v2Hpa = {
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "web" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
    minReplicas: 1,
    maxReplicas: 3,
    metrics: [
      { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
      { type: "ContainerResource", containerResource: { name: "memory", container: "app", target } },
      { type: "Pods", pods: { metric, target } },
      { type: "Object", object: { describedObject: { kind: "Service", name: "web" }, metric, target } },
      { type: "External", external: { metric, target: { type: "Value", value: "3" } } },
    ],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [{ type: "Pods", value: 4, periodSeconds: 15 }],
      },
      scaleDown: { stabilizationWindowSeconds: 15, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
    },
  },
  status: {
    observedGeneration: 1,
    currentReplicas: 1,
    desiredReplicas: 3,
    currentMetrics: [
      { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 180, averageValue: "90m" } } },
    ],
    conditions: [
      { type: "AbleToScale", status: "True", reason: "SucceededRescale", message: "m", lastTransitionTime: "t" },
    ],
  },
};

describe("autoscaling schemas", () => {
  it.each([
    [{ group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler" }, V2],
    [{ group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler" }, V1],
  ])("finds %j as %s", (gvk, name) => {
    expect(definitionNameFor(gvk)).toBe(name);
  });

  it.each([
    ["v1 as kubectl autoscale posts it", V1, v1Hpa],
    ["v2 with every metric source and behavior", V2, v2Hpa],
  ])("%s has no unknown fields", (_n, def, obj) => {
    expect(unknown(def, structuredClone(obj))).toEqual([]);
  });

  it.each([
    ["v1 has no metrics", V1, { spec: { metrics: [] } }, ["spec.metrics"]],
    [
      "v2 has no targetCPUUtilizationPercentage",
      V2,
      { spec: { targetCPUUtilizationPercentage: 5 } },
      ["spec.targetCPUUtilizationPercentage"],
    ],
    [
      "a misspelt target field",
      V2,
      { spec: { metrics: [{ type: "Resource", resource: { name: "cpu", target: { averageUtilisation: 5 } } }] } },
      ["spec.metrics[0].resource.target.averageUtilisation"],
    ],
    [
      "a misspelt policy field",
      V2,
      { spec: { behavior: { scaleDown: { policies: [{ type: "Pods", value: 1, period: 15 }] } } } },
      ["spec.behavior.scaleDown.policies[0].period"],
    ],
  ])("%s", (_n, def, obj, want) => {
    expect(unknown(def, obj)).toEqual(want);
  });
});
