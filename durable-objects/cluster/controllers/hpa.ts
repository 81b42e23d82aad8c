// The HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler horizontal.go):
// every 15 s per HPA it reads the target's scale subresource, the pods of the scale's selector
// and their usage, proposes a replica count per metric, stabilizes and rate-limits it, writes
// the scale through the same path as `kubectl scale`, and reports status, conditions and events.
import { matchesLabels, parseLabelSelector } from "../../../kube/labels.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { scaleOf, updateScale } from "../writes/subresources.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { Change } from "../store/object-store.ts";
import { emptyHistory, type HpaHistory, normalize, recordScale } from "./hpa-behavior.ts";
import { computeMetric, type MetricOutcome } from "./hpa-metrics.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { CONTROLLER_WRITE, Writer } from "./writes.ts";

export const HPA_CONTROLLER = "horizontal-pod-autoscaler";
const HPA = "horizontalpodautoscalers.autoscaling";
/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** setCondition: replaces the type's condition, keeping its transition time while the status holds. */
function setCondition(conditions: Condition[], next: Condition, now: number): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  const keep = i >= 0 && conditions[i].status === next.status ? conditions[i].lastTransitionTime : undefined;
  const c = { ...next, lastTransitionTime: keep ?? timestamp(now) };
  if (i >= 0) conditions[i] = c;
  else conditions.push(c);
}

function groupOf(apiVersion: string | undefined): string {
  const parts = (apiVersion ?? "").split("/");
  return parts.length === 2 ? parts[0] : "";
}

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = HPA_CONTROLLER;
  #w: Writer;
  #history = new Map<string, HpaHistory>();

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, HPA_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key } = change.entry;
    if (resource !== HPA) return [];
    // Its own status writes do not wake it: the sync period does (upstream resyncs, too).
    const gen = (c?: { object: KubeObject }) => c?.object.metadata.generation;
    if (change.type === "MODIFIED" && gen(change.previous) === gen(change.entry)) return [];
    return [key];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(HPA).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const entry = this.#w.entry(key);
    if (!entry || entry.object.metadata.deletionTimestamp) {
      this.#history.delete(key);
      return undefined;
    }
    if (!this.#history.has(key)) this.#history.set(key, emptyHistory());
    this.#sync(entry.object, this.#history.get(key)!);
    return { requeueAfterMs: HPA_SYNC_PERIOD_MS };
  }

  #target(hpa: KubeObject): { kind: ResourceKind; obj: KubeObject } | string {
    const ref: LooseObject = hpa.spec?.scaleTargetRef ?? {};
    const kind = this.#w.ctx.kinds.byKind(groupOf(ref.apiVersion), ref.kind);
    if (!kind?.subresources?.scale) return `no matches for kind "${ref.kind}" in group "${groupOf(ref.apiVersion)}"`;
    const obj = this.#w.ctx.store.get(resourceId(kind), hpa.metadata.namespace, ref.name)?.object;
    if (!obj) return `${resourceId(kind)} "${ref.name}" not found`;
    return { kind, obj };
  }

  #sync(hpa: KubeObject, history: HpaHistory): void {
    const now = this.#w.ctx.now();
    const spec: LooseObject = hpa.spec ?? {};
    const conditions: Condition[] = structuredClone(hpa.status?.conditions ?? []);
    const base: LooseObject = { ...(hpa.status ?? {}), observedGeneration: hpa.metadata.generation };
    const target = this.#target(hpa);
    if (typeof target === "string") {
      this.#warn(hpa, "FailedGetScale", target);
      const message = `the HPA controller was unable to get the target's current scale: ${target}`;
      setCondition(conditions, { type: "AbleToScale", status: "False", reason: "FailedGetScale", message }, now);
      this.#status(hpa, { ...base, conditions });
      return;
    }
    const scale = scaleOf(target.kind, target.obj);
    const current = scale.spec.replicas ?? 0;
    setCondition(
      conditions,
      {
        type: "AbleToScale",
        status: "True",
        reason: "SucceededGetScale",
        message: "the HPA controller was able to get the target's current scale",
      },
      now,
    );
    const min = spec.minReplicas ?? 1;
    let desired = 0;
    let reason = "";
    let metricStatuses: LooseObject[] | undefined = base.currentMetrics;
    let rescale = true;
    if (current === 0 && min !== 0) {
      rescale = false;
      const message = "scaling is disabled since the replica count of the target is zero";
      setCondition(conditions, { type: "ScalingActive", status: "False", reason: "ScalingDisabled", message }, now);
    } else if (current > spec.maxReplicas) {
      [desired, reason] = [spec.maxReplicas, "Current number of replicas above Spec.MaxReplicas"];
    } else if (current < min) {
      [desired, reason] = [min, "Current number of replicas below Spec.MinReplicas"];
    } else {
      const computed = this.#metrics(hpa, scale.status.selector ?? "", current, conditions, now);
      metricStatuses = computed.statuses;
      if (computed.replicas < 0) {
        this.#status(hpa, { ...base, currentReplicas: current, currentMetrics: metricStatuses, conditions });
        this.#warn(hpa, "FailedComputeMetricsReplicas", computed.error);
        return;
      }
      desired = computed.replicas;
      if (desired > current) reason = `${computed.metric} above target`;
      if (desired < current) reason = "All metrics below target";
      const n = normalize(history, { behavior: spec.behavior, current, desired, min, max: spec.maxReplicas, now });
      setCondition(conditions, { type: "AbleToScale", ...n.ableToScale }, now);
      setCondition(conditions, { type: "ScalingLimited", ...n.scalingLimited }, now);
      desired = n.replicas;
      rescale = desired !== current;
    }
    if (rescale) {
      const written = this.#rescale(hpa, target.kind, scale, desired, reason, conditions, now);
      if (!written) {
        this.#status(hpa, { ...base, currentReplicas: current, currentMetrics: metricStatuses, conditions });
        return;
      }
      recordScale(history, spec.behavior, current, desired, now);
    } else desired = current;
    const status: LooseObject = {
      ...base,
      currentReplicas: current,
      desiredReplicas: desired,
      currentMetrics: metricStatuses,
      conditions,
    };
    if (rescale) status.lastScaleTime = timestamp(now);
    this.#status(hpa, status);
  }

  /** computeReplicasForMetrics: the highest proposal; -1 when every metric failed (or a failure would scale down). */
  #metrics(hpa: KubeObject, selector: string, current: number, conditions: Condition[], now: number) {
    const specs: LooseObject[] = hpa.spec?.metrics ?? [];
    const pods = this.#pods(hpa.metadata.namespace!, selector);
    const outcomes: MetricOutcome[] = specs.map((s) =>
      computeMetric(s ?? {}, { reader: this.#w.ctx.metrics, pods, currentReplicas: current, now }),
    );
    const statuses = outcomes.map((o) => o.status);
    let replicas = 0;
    let metric = "";
    for (const o of outcomes)
      if (o.ok && (replicas === 0 || o.replicas > replicas)) [replicas, metric] = [o.replicas, o.name];
    const failed = outcomes.filter((o) => !o.ok);
    for (const f of failed) if (!f.ok) this.#warn(hpa, f.condition.reason, f.error);
    const first = failed[0];
    if (first && !first.ok && (failed.length >= specs.length || replicas < current)) {
      setCondition(conditions, { type: "ScalingActive", status: "False", ...first.condition }, now);
      const error = `invalid metrics (${failed.length} invalid out of ${specs.length}), first error is: ${first.error}`;
      return { replicas: -1, metric, statuses, error };
    }
    const message = `the HPA was able to successfully calculate a replica count from ${metric}`;
    setCondition(conditions, { type: "ScalingActive", status: "True", reason: "ValidMetricFound", message }, now);
    return { replicas, metric, statuses, error: "" };
  }

  #pods(namespace: string, selector: string): KubeObject[] {
    if (!selector) return [];
    const reqs = parseLabelSelector(selector);
    return this.#w.ctx.store
      .list("pods", namespace)
      .map((e) => e.object)
      .filter((p) => matchesLabels(reqs, p.metadata.labels));
  }

  #rescale(
    hpa: KubeObject,
    kind: ResourceKind,
    scale: ReturnType<typeof scaleOf>,
    desired: number,
    reason: string,
    conditions: Condition[],
    now: number,
  ): boolean {
    const { name, namespace } = scale.metadata;
    try {
      updateScale(
        this.#w.ctx,
        kind,
        { namespace, name: name! },
        { ...scale, spec: { replicas: desired } },
        CONTROLLER_WRITE,
      );
    } catch (e) {
      const error = (e as Error).message;
      this.#warn(hpa, "FailedRescale", `New size: ${desired}; reason: ${reason}; error: ${error}`);
      const message = `the HPA controller was unable to update the target scale: ${error}`;
      setCondition(conditions, { type: "AbleToScale", status: "False", reason: "FailedUpdateScale", message }, now);
      return false;
    }
    const message = `the HPA controller was able to update the target scale to ${desired}`;
    setCondition(conditions, { type: "AbleToScale", status: "True", reason: "SucceededRescale", message }, now);
    this.#w.events.record(hpa, {
      type: "Normal",
      reason: "SuccessfulRescale",
      message: `New size: ${desired}; reason: ${reason}`,
    });
    return true;
  }

  #warn(hpa: KubeObject, reason: string, message: string): void {
    this.#w.events.record(hpa, { type: "Warning", reason, message });
  }

  #status(hpa: KubeObject, status: LooseObject): void {
    const clean = JSON.parse(JSON.stringify({ desiredReplicas: 0, ...status }));
    const latest = this.#w.entry(this.#keyOf(hpa))?.object ?? hpa;
    this.#w.updateStatus(HPA, latest, clean);
  }

  #keyOf(hpa: KubeObject): string {
    return this.#w.ctx.store.get(HPA, hpa.metadata.namespace, hpa.metadata.name!)?.key ?? "";
  }
}
