import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { defaultHpa, formatHpaMetrics, horizontalPodAutoscalers } from "./horizontalpodautoscalers.ts";
import { BEHAVIOR_ANNOTATION, hpaV1ToV2, hpaV2ToV1, METRICS_ANNOTATION } from "./horizontalpodautoscalers-v1.ts";

const cpuMetric = (u: number) => ({
  type: "Resource",
  resource: { name: "cpu", target: { type: "Utilization", averageUtilization: u } },
});

function hpa(spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web", namespace: "default" },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 5, ...spec },
  };
}

describe("defaults", () => {
  it("minReplicas 1 and cpu 80% when no metric is named; behavior only when given", () => {
    const o = hpa({});
    defaultHpa(o);
    expect(o.spec?.minReplicas).toBe(1);
    expect(o.spec?.metrics).toEqual([cpuMetric(80)]);
    expect(o.spec?.behavior).toBeUndefined();
    const b = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    defaultHpa(b);
    expect(b.spec?.behavior.scaleUp.policies).toHaveLength(2);
    expect(b.spec?.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 60,
      selectPolicy: "Max",
      policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
    });
  });
});

describe("validation", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["valid", { minReplicas: 1, metrics: [cpuMetric(50)] }, []],
    [
      "max below min",
      { minReplicas: 3, maxReplicas: 2 },
      ["spec.maxReplicas: must be greater than or equal to `minReplicas`"],
    ],
    ["min below 1", { minReplicas: 0 }, ["spec.minReplicas: must be greater than or equal to 1"]],
    ["no target name", { scaleTargetRef: { kind: "Deployment" } }, ["spec.scaleTargetRef.name: "]],
    [
      "utilization 0",
      {
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 0 } } },
        ],
      },
      ["spec.metrics[0].resource.target.averageUtilization: must be greater than 0"],
    ],
    [
      "wrong source for type",
      {
        metrics: [{ type: "Pods", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 5 } } }],
      },
      ["spec.metrics[0].pods: must populate information for the given metric source"],
    ],
    [
      "behavior without policies",
      { behavior: { scaleUp: { policies: [] } } },
      ["spec.behavior.scaleUp.policies: must specify at least one Policy"],
    ],
  ];
  for (const [name, spec, want] of cases)
    it(name, () => {
      const errs = horizontalPodAutoscalers.validate!(hpa(spec)).map((e) => `${e.field}: ${e.detail ?? ""}`);
      expect(errs).toEqual(want);
    });
});

describe("TARGETS column", () => {
  it("formats as kubectl 1.27–1.33 do", () => {
    expect(formatHpaMetrics([cpuMetric(50)], undefined)).toBe("cpu: <unknown>/50%");
    expect(
      formatHpaMetrics(
        [cpuMetric(50)],
        [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 12 } } }],
      ),
    ).toBe("cpu: 12%/50%");
    const mem = {
      type: "Resource",
      resource: { name: "memory", target: { type: "AverageValue", averageValue: "200Mi" } },
    };
    expect(formatHpaMetrics([mem, cpuMetric(1), cpuMetric(2)], [])).toBe(
      "memory: <unknown>/200Mi, cpu: <unknown>/1% + 1 more...",
    );
    expect(formatHpaMetrics([], [])).toBe("<none>");
  });
});

describe("autoscaling/v1 conversion", () => {
  it("targetCPUUtilizationPercentage is the cpu metric; the rest survives in annotations", () => {
    const behavior = { scaleUp: { policies: [{ type: "Pods", value: 1, periodSeconds: 15 }] } };
    const mem = {
      type: "Resource",
      resource: { name: "memory", target: { type: "AverageValue", averageValue: "1Gi" } },
    };
    const v2 = hpa({ minReplicas: 1, metrics: [cpuMetric(50), mem], behavior });
    v2.status = {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 70 } } }],
    };
    const v1 = hpaV2ToV1(v2);
    expect(v1.apiVersion).toBe("autoscaling/v1");
    expect(v1.spec?.targetCPUUtilizationPercentage).toBe(50);
    expect(v1.status?.currentCPUUtilizationPercentage).toBe(70);
    expect(JSON.parse(v1.metadata.annotations![METRICS_ANNOTATION])).toEqual([mem]);
    expect(JSON.parse(v1.metadata.annotations![BEHAVIOR_ANNOTATION])).toEqual(behavior);
    const back = hpaV1ToV2(v1);
    expect(back.spec).toEqual(v2.spec);
    expect(back.status?.currentMetrics).toEqual(v2.status.currentMetrics);
    expect(back.metadata.annotations).toBeUndefined();
  });
  it("a v1 object without a target converts to no metrics (defaulting then adds 80%)", () => {
    const v2 = hpaV1ToV2({
      apiVersion: "autoscaling/v1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "x" },
      spec: { maxReplicas: 3, scaleTargetRef: { kind: "Deployment", name: "x" } },
    });
    expect(v2.spec?.metrics).toBeUndefined();
    expect(v2.status).toBeUndefined();
  });
});
