// autoscaling/v1 HorizontalPodAutoscaler, served as a conversion of the stored autoscaling/v2
// objects (upstream pkg/apis/autoscaling/v1/conversion.go): targetCPUUtilizationPercentage is
// the cpu Utilization metric, and what v1 cannot express (other metrics, behavior, conditions)
// travels in annotations, so a v1 read-modify-write keeps it. kubectl 1.27–1.32 post v1.
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { horizontalPodAutoscalers } from "./horizontalpodautoscalers.ts";
import type { ResourceKind } from "./types.ts";

export const METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics";
export const CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics";
export const CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions";
export const BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior";
const ANNOTATIONS = [METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

const isCpu = (m: LooseObject | undefined) => m?.type === "Resource" && m.resource?.name === "cpu";

function parsed(annotations: Record<string, string>, key: string): unknown {
  try {
    return annotations[key] === undefined ? undefined : JSON.parse(annotations[key]);
  } catch {
    return undefined; // a mangled annotation is dropped, as upstream's conversion ignores it
  }
}

function withAnnotations(meta: KubeObject["metadata"], extra: Record<string, unknown>): KubeObject["metadata"] {
  const annotations = { ...(meta.annotations ?? {}) };
  for (const k of ANNOTATIONS) delete annotations[k];
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) annotations[k] = JSON.stringify(v);
  const { annotations: _old, ...rest } = meta;
  return Object.keys(annotations).length ? { ...rest, annotations } : rest;
}

/** v2 (stored) → v1. */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec: LooseObject = obj.spec ?? {};
  const status: LooseObject = obj.status ?? {};
  const metrics: LooseObject[] = spec.metrics ?? [];
  const cpuIndex = metrics.findIndex((m) => isCpu(m) && m.resource.target?.averageUtilization !== undefined);
  const otherMetrics = metrics.filter((_, i) => i !== cpuIndex);
  const current: LooseObject[] = status.currentMetrics ?? [];
  const cpuCurrent = current.find((m) => isCpu(m) && m.resource.current?.averageUtilization !== undefined);
  const otherCurrent = current.filter((m) => m !== cpuCurrent);
  const v1Spec: LooseObject = {
    scaleTargetRef: spec.scaleTargetRef,
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
  };
  if (cpuIndex >= 0) v1Spec.targetCPUUtilizationPercentage = metrics[cpuIndex].resource.target.averageUtilization;
  const v1Status: LooseObject = {
    observedGeneration: status.observedGeneration,
    lastScaleTime: status.lastScaleTime,
    currentReplicas: status.currentReplicas ?? 0,
    desiredReplicas: status.desiredReplicas ?? 0,
    currentCPUUtilizationPercentage: cpuCurrent?.resource.current.averageUtilization,
  };
  const metadata = withAnnotations(obj.metadata, {
    [METRICS_ANNOTATION]: otherMetrics.length ? otherMetrics : undefined,
    [CURRENT_METRICS_ANNOTATION]: otherCurrent.length ? otherCurrent : undefined,
    [CONDITIONS_ANNOTATION]: status.conditions?.length ? status.conditions : undefined,
    [BEHAVIOR_ANNOTATION]: spec.behavior,
  });
  return { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", metadata, spec: v1Spec, status: v1Status };
}

/** v1 → v2 (stored). */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec: LooseObject = obj.spec ?? {};
  const status: LooseObject = obj.status ?? {};
  const annotations = obj.metadata?.annotations ?? {};
  const metrics: LooseObject[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null)
    metrics.push({
      type: "Resource",
      resource: {
        name: "cpu",
        target: { type: "Utilization", averageUtilization: spec.targetCPUUtilizationPercentage },
      },
    });
  metrics.push(...((parsed(annotations, METRICS_ANNOTATION) as LooseObject[] | undefined) ?? []));
  const currentMetrics: LooseObject[] = [];
  if (status.currentCPUUtilizationPercentage !== undefined && status.currentCPUUtilizationPercentage !== null)
    currentMetrics.push({
      type: "Resource",
      resource: { name: "cpu", current: { averageUtilization: status.currentCPUUtilizationPercentage } },
    });
  currentMetrics.push(...((parsed(annotations, CURRENT_METRICS_ANNOTATION) as LooseObject[] | undefined) ?? []));
  const v2Spec: LooseObject = {
    scaleTargetRef: spec.scaleTargetRef,
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
  };
  if (metrics.length) v2Spec.metrics = metrics;
  const behavior = parsed(annotations, BEHAVIOR_ANNOTATION);
  if (behavior) v2Spec.behavior = behavior;
  const v2Status: LooseObject = {
    observedGeneration: status.observedGeneration,
    lastScaleTime: status.lastScaleTime,
    currentReplicas: status.currentReplicas,
    desiredReplicas: status.desiredReplicas ?? 0,
  };
  if (currentMetrics.length) v2Status.currentMetrics = currentMetrics;
  const conditions = parsed(annotations, CONDITIONS_ANNOTATION);
  if (conditions) v2Status.conditions = conditions;
  const metadata = withAnnotations(obj.metadata ?? {}, {});
  // A partial object (a server-side apply configuration) stays partial.
  const out: KubeObject = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata };
  if (obj.spec) out.spec = v2Spec;
  if (obj.status) out.status = v2Status;
  return dropUndefined(out);
}

function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const horizontalPodAutoscalersV1: ResourceKind = {
  ...horizontalPodAutoscalers,
  version: "v1",
  conversion: {
    storage: horizontalPodAutoscalers,
    toStorage: hpaV1ToV2,
    fromStorage: (o) => dropUndefined(hpaV2ToV1(o)),
  },
};
