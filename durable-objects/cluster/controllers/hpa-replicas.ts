// The HPA's replica calculation for resource metrics (upstream pkg/controller/podautoscaler
// replica_calculator.go): pods grouped into ready, unready, missing and ignored; the usage ratio
// against the target; the 10% tolerance; unready and missing pods filled in conservatively so
// they never push the scale the wrong way. Pure: pods, samples and the clock come in as values.
import type { KubeObject } from "../../../kube/types.ts";
import { quantityNanos } from "../registry/pod-resources.ts";

/** Upstream's --horizontal-pod-autoscaler-tolerance. */
export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const INITIAL_READINESS_DELAY_MS = 30_000;

/** One pod's usage of one resource, in milli-units (millicores, or milli-bytes as upstream's MilliValue). */
export interface PodSample {
  value: number;
  timestampMs: number;
  windowMs: number;
}

export type Samples = Map<string, PodSample>;

export type ResourceTarget = { utilization: number } | { averageMilli: number };

export interface ResourceInput {
  currentReplicas: number;
  pods: readonly KubeObject[];
  samples: Samples;
  resource: string;
  target: ResourceTarget;
  now: number;
  tolerance?: number;
}

export interface ResourceProposal {
  replicas: number;
  /** Average utilization in percent of request (Utilization targets only). */
  utilization?: number;
  /** Average usage per pod, milli-units. */
  rawAverageMilli: number;
  timestampMs: number;
}

/** A failure of one metric: the message upstream puts into its condition and event. */
export class MetricError extends Error {}

const milli = (q: string | number | undefined): number | undefined => {
  if (q === undefined) return undefined;
  const n = quantityNanos(q);
  return n === undefined ? undefined : Number((n + 999_999n) / 1_000_000n);
};

/** A quantity text as milli-units (MilliValue, rounded up), or undefined when it is not one. */
export const milliValue = milli;

interface ContainerLike {
  name: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, string | number> };
}

/** calculatePodRequests: each pod's summed request (milli); a container without one is an error. */
export function podRequests(pods: readonly KubeObject[], resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    const sidecars = ((pod.spec?.initContainers ?? []) as ContainerLike[]).filter((c) => c.restartPolicy === "Always");
    let sum = 0;
    for (const c of [...((pod.spec?.containers ?? []) as ContainerLike[]), ...sidecars]) {
      const request = milli(c.resources?.requests?.[resource]);
      if (request === undefined)
        throw new MetricError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += request;
    }
    out.set(pod.metadata.name!, sum);
  }
  return out;
}

export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

const msOf = (t: unknown) => (typeof t === "string" ? Date.parse(t) : Number.NaN);

/** Whether a CPU sample should not count: the pod is starting up or its readiness is unsettled. */
function cpuUnready(pod: KubeObject, sample: PodSample, now: number): boolean {
  const ready = (pod.status?.conditions ?? []).find((c: { type?: string }) => c.type === "Ready");
  const start = msOf(pod.status?.startTime);
  if (!ready || Number.isNaN(start)) return true;
  const transition = msOf(ready.lastTransitionTime);
  if (start + CPU_INITIALIZATION_PERIOD_MS > now)
    return ready.status === "False" || sample.timestampMs < transition + sample.windowMs;
  return ready.status === "False" && start + INITIAL_READINESS_DELAY_MS > transition;
}

/** groupPods: which pods count, which are unready, which lack samples, and which are ignored. */
export function groupPods(pods: readonly KubeObject[], samples: Samples, resource: string, now: number): PodGroups {
  const groups: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name!;
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp || phase === "Failed") groups.ignored.add(name);
    else if (phase === "Pending") groups.unready.add(name);
    else if (!samples.has(name)) groups.missing.add(name);
    else if (resource === "cpu" && cpuUnready(pod, samples.get(name)!, now)) groups.unready.add(name);
    else groups.readyCount++;
  }
  return groups;
}

/** GetResourceUtilizationRatio: total usage over total requests, in whole percent, against the target. */
export function utilizationRatio(samples: Samples, requests: Map<string, number>, target: number) {
  let usage = 0;
  let requested = 0;
  let entries = 0;
  for (const [name, s] of samples) {
    const request = requests.get(name);
    if (request === undefined) continue;
    usage += s.value;
    requested += request;
    entries++;
  }
  if (requested === 0) throw new MetricError("no metrics returned matched known pods");
  const utilization = Math.trunc((usage * 100) / requested);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(usage / entries) };
}

/** GetMetricUsageRatio: the average usage per sample against the target average. */
export function usageRatio(samples: Samples, targetAverage: number) {
  let usage = 0;
  for (const s of samples.values()) usage += s.value;
  const average = samples.size ? Math.trunc(usage / samples.size) : 0;
  return { ratio: average / targetAverage, rawAverage: average };
}

const withinTolerance = (ratio: number, tolerance: number) => Math.abs(1 - ratio) <= tolerance;

function latest(samples: Samples): number {
  let at = 0;
  for (const s of samples.values()) at = Math.max(at, s.timestampMs);
  return at;
}

/** GetResourceReplicas / GetRawResourceReplicas: the replica count one resource metric proposes. */
export function resourceReplicas(input: ResourceInput): ResourceProposal {
  const { currentReplicas, pods, resource, target, now } = input;
  const tolerance = input.tolerance ?? TOLERANCE;
  if (pods.length === 0) throw new MetricError("no pods returned by selector while calculating replica count");
  const samples: Samples = new Map(input.samples);
  const groups = groupPods(pods, samples, resource, now);
  for (const name of [...groups.ignored, ...groups.unready]) samples.delete(name);
  if (samples.size === 0) throw new MetricError("did not receive metrics for targeted pods (pods might be unready)");
  const timestampMs = latest(samples);
  const utilizationTarget = "utilization" in target ? target.utilization : undefined;
  const requests = utilizationTarget === undefined ? undefined : podRequests(pods, resource);
  const measure = (s: Samples) =>
    requests && utilizationTarget !== undefined
      ? utilizationRatio(s, requests, utilizationTarget)
      : usageRatio(s, (target as { averageMilli: number }).averageMilli);
  const first: { ratio: number; rawAverage: number; utilization?: number } = measure(samples);
  const result = (replicas: number): ResourceProposal => ({
    replicas,
    utilization: first.utilization,
    rawAverageMilli: first.rawAverage,
    timestampMs,
  });
  const scaleUpWithUnready = groups.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (withinTolerance(first.ratio, tolerance)) return result(currentReplicas);
    return result(Math.ceil(first.ratio * groups.readyCount));
  }
  fillMissing(samples, groups, first.ratio, requests, target, now);
  if (scaleUpWithUnready) for (const name of groups.unready) samples.set(name, zeroSample(now));
  const next = measure(samples).ratio;
  const flipped = (first.ratio < 1 && next > 1) || (first.ratio > 1 && next < 1);
  if (withinTolerance(next, tolerance) || flipped) return result(currentReplicas);
  const replicas = Math.ceil(next * samples.size);
  if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas))
    return result(currentReplicas);
  return result(replicas);
}

const zeroSample = (now: number): PodSample => ({ value: 0, timestampMs: now, windowMs: 0 });

/**
 * Pods without samples: on a scale-down they count as using their whole request (or the target,
 * when it is above 100%, or the target average), on a scale-up as using nothing.
 */
function fillMissing(
  samples: Samples,
  groups: PodGroups,
  ratio: number,
  requests: Map<string, number> | undefined,
  target: ResourceTarget,
  now: number,
): void {
  // Upstream's utilization path leaves missing pods out at a ratio of exactly 1; its
  // average-value path counts them as zero there.
  if ("utilization" in target && ratio === 1) return;
  for (const name of groups.missing) {
    let value = 0;
    if (ratio < 1) {
      if ("utilization" in target) value = ((requests?.get(name) ?? 0) * Math.max(100, target.utilization)) / 100;
      else value = target.averageMilli;
    }
    samples.set(name, { value: Math.trunc(value), timestampMs: now, windowMs: 0 });
  }
}
