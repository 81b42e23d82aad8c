// One HPA metric → a replica proposal and its MetricStatus (upstream horizontal.go
// computeReplicasForMetrics / computeStatusForResourceMetric), from the usage the node
// agents reported (ctx.metrics, what metrics-server serves upstream).
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import type { MetricsReader } from "../metrics/window.ts";
import { MetricError, milliValue, type ResourceTarget, resourceReplicas, type Samples } from "./hpa-replicas.ts";

export interface MetricCondition {
  reason: string;
  message: string;
}

export type MetricOutcome =
  | { ok: true; replicas: number; name: string; status: LooseObject; timestampMs: number }
  | { ok: false; status: LooseObject; condition: MetricCondition; error: string };

/** resource.NewMilliQuantity(v, DecimalSI).String(): whole units with the largest exact SI suffix, else millis. */
export function milliQuantityString(milli: number): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  let units = milli / 1000;
  for (const suffix of ["", "k", "M", "G", "T", "P"]) {
    if (units % 1000 !== 0 || units === 0 || suffix === "P") return `${units}${suffix}`;
    units /= 1000;
  }
  return `${units}E`;
}

/** The pods' usage of one resource in milli-units; pods without a sample are left out. */
export function resourceSamples(
  reader: MetricsReader | undefined,
  pods: readonly KubeObject[],
  resource: string,
): Samples {
  const samples: Samples = new Map();
  for (const pod of pods) {
    const sample = reader?.podMetrics(pod.metadata.namespace!, pod.metadata.name!);
    if (!sample) continue;
    const value = sample.containers.reduce(
      (sum, c) => sum + (resource === "cpu" ? c.cpuMillicores : c.memoryBytes * 1000),
      0,
    );
    samples.set(pod.metadata.name!, {
      value: Math.round(value),
      timestampMs: sample.timestamp,
      windowMs: sample.windowSeconds * 1000,
    });
  }
  return samples;
}

const unable = (reason: string, error: string, status: LooseObject = { type: "" }): MetricOutcome => ({
  ok: false,
  status,
  error,
  condition: { reason, message: `the HPA was unable to compute the replica count: ${error}` },
});

export interface MetricContext {
  reader: MetricsReader | undefined;
  pods: readonly KubeObject[];
  currentReplicas: number;
  now: number;
}

/** computeStatusForResourceMetric for a Resource metric (Utilization or AverageValue target). */
function resourceMetric(spec: LooseObject, mc: MetricContext): MetricOutcome {
  const name: string = spec.resource?.name ?? "";
  const target: LooseObject = spec.resource?.target ?? {};
  const averageMilli = target.averageValue === undefined ? undefined : milliValue(target.averageValue);
  const goal: ResourceTarget | undefined =
    averageMilli !== undefined
      ? { averageMilli }
      : target.averageUtilization
        ? { utilization: target.averageUtilization }
        : undefined;
  const what = averageMilli !== undefined ? "usage" : "utilization";
  if (!goal)
    return unable(
      "FailedGetResourceMetric",
      `invalid resource metric source: neither a utilization target nor a value target was set`,
    );
  const samples = resourceSamples(mc.reader, mc.pods, name);
  try {
    if (samples.size === 0)
      throw new MetricError(
        `unable to get metrics for resource ${name}: no metrics returned from resource metrics API`,
      );
    const p = resourceReplicas({
      currentReplicas: mc.currentReplicas,
      pods: mc.pods,
      samples,
      resource: name,
      target: goal,
      now: mc.now,
    });
    const current: LooseObject =
      p.utilization === undefined
        ? { averageValue: milliQuantityString(p.rawAverageMilli) }
        : { averageUtilization: p.utilization, averageValue: milliQuantityString(p.rawAverageMilli) };
    const metricName =
      p.utilization === undefined ? `${name} resource` : `${name} resource utilization (percentage of request)`;
    return {
      ok: true,
      replicas: p.replicas,
      name: metricName,
      status: { type: "Resource", resource: { name, current } },
      timestampMs: p.timestampMs,
    };
  } catch (e) {
    if (!(e instanceof MetricError)) throw e;
    return unable("FailedGetResourceMetric", `failed to get ${name} ${what}: ${e.message}`);
  }
}

const UNSUPPORTED: Record<string, string> = {
  Pods: "FailedGetPodsMetric",
  Object: "FailedGetObjectMetric",
  External: "FailedGetExternalMetric",
  ContainerResource: "FailedGetContainerResourceMetric",
};

/** One metric spec's proposal; only resource metrics have a source here (no custom or external metrics API). */
export function computeMetric(spec: LooseObject, mc: MetricContext): MetricOutcome {
  if (spec.type === "Resource") return resourceMetric(spec, mc);
  const reason = UNSUPPORTED[spec.type];
  if (reason)
    return unable(
      reason,
      `unable to get metric for ${spec.type} metric source: no metrics API serves it in this cluster`,
    );
  return unable("InvalidMetricSourceType", `unknown metric source type "${spec.type}"`);
}
