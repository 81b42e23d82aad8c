// Events as upstream's scheduler records them through the events.k8s.io/v1 recorder (stored
// here in core/v1 form): reportingController default-scheduler, an action, eventTime, and a
// series whose count grows when the same event repeats.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../api/context.ts";
import { createObject } from "../api/create.ts";
import { SYSTEM_WRITE, type WriteOptions } from "../api/options.ts";
import type { ResourceKind } from "../registry/types.ts";

export const SCHEDULER_NAME = "default-scheduler";
const REPORTING_INSTANCE = `${SCHEDULER_NAME}-flotilla`;
/** Upstream's event series are isomorphic events within six minutes. */
const SERIES_WINDOW_MS = 6 * 60 * 1000;
const MAX_REMEMBERED = 10_000;

export const SCHEDULER_WRITE: WriteOptions = { ...SYSTEM_WRITE, fieldManager: SCHEDULER_NAME };

/** metav1.MicroTime: RFC 3339 with microseconds. */
export const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  action: string;
  message: string;
}

export function eventFor(pod: KubeObject, spec: EventSpec, nowMs: number): KubeObject {
  const { name, namespace, uid, resourceVersion } = pod.metadata;
  const nanos = BigInt(nowMs) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.${nanos.toString(16)}`, namespace },
    involvedObject: { kind: "Pod", namespace, name, uid, apiVersion: "v1", resourceVersion },
    reason: spec.reason,
    message: spec.message,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    count: 0,
    type: spec.type,
    eventTime: microTime(nowMs),
    action: spec.action,
    reportingComponent: SCHEDULER_NAME,
    reportingInstance: REPORTING_INSTANCE,
  } as KubeObject;
}

export class EventRecorder {
  #ctx: ApiContext;
  #kind: ResourceKind;
  #recent = new Map<string, { name: string; namespace: string; at: number }>();

  constructor(ctx: ApiContext) {
    this.#ctx = ctx;
    this.#kind = ctx.kinds.byResource("events")!;
  }

  record(pod: KubeObject, spec: EventSpec): void {
    const now = this.#ctx.now();
    const id = `${pod.metadata.uid}\u0000${spec.reason}\u0000${spec.message}`;
    const seen = this.#recent.get(id);
    if (seen && now - seen.at < SERIES_WINDOW_MS && this.#bumpSeries(seen, now)) return;
    const event = eventFor(pod, spec, now);
    try {
      createObject(this.#ctx, this.#kind, pod.metadata.namespace, event, SCHEDULER_WRITE);
    } catch {
      return; // a namespace being deleted refuses new events; scheduling goes on
    }
    if (this.#recent.size >= MAX_REMEMBERED) this.#recent.clear();
    this.#recent.set(id, { name: event.metadata.name!, namespace: pod.metadata.namespace!, at: now });
  }

  #bumpSeries(seen: { name: string; namespace: string; at: number }, now: number): boolean {
    const current = this.#ctx.store.get("events", seen.namespace, seen.name);
    if (!current) return false;
    const next = structuredClone(current.object) as KubeObject & { series?: { count: number } };
    next.series = { count: (next.series?.count ?? 1) + 1, lastObservedTime: microTime(now) } as { count: number };
    this.#ctx.store.put("events", next, "MODIFIED");
    seen.at = now;
    return true;
  }
}
