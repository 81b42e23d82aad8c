// Events as upstream's components record them, stored in core/v1 form. Two recorders exist
// upstream: the events.k8s.io/v1 one (the scheduler: reportingController, action, eventTime,
// a series that grows on repeats) and the legacy core/v1 one (kube-controller-manager:
// source.component, first/lastTimestamp and a count that grows on repeats).
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { createObject } from "../writes/create.ts";
import type { WriteOptions } from "../writes/options.ts";
import type { ResourceKind } from "../registry/types.ts";
import { EventCorrelator } from "./correlator.ts";

/** Upstream aggregates isomorphic events seen within this window (series and counts). */
const SERIES_WINDOW_MS = 6 * 60 * 1000;
const MAX_REMEMBERED = 10_000;

/** metav1.MicroTime: RFC 3339 with microseconds. */
export const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  /** events.k8s.io only: what the component did. */
  action?: string;
  message: string;
}

export interface RecorderOptions {
  /** The reporting component ("default-scheduler", "replicaset-controller" …). */
  component: string;
  style: "events.k8s.io" | "legacy";
  write: WriteOptions;
}

function involvedObject(obj: KubeObject) {
  const { name, namespace, uid, resourceVersion } = obj.metadata;
  return { kind: obj.kind, namespace, name, uid, apiVersion: obj.apiVersion, resourceVersion };
}

function eventName(obj: KubeObject, nowMs: number): string {
  const nanos = BigInt(nowMs) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
  return `${obj.metadata.name}.${nanos.toString(16)}`;
}

/** A new event about `obj` in the recorder's style. */
export function eventFor(obj: KubeObject, spec: EventSpec, nowMs: number, options: RecorderOptions): KubeObject {
  const base = {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: eventName(obj, nowMs), namespace: obj.metadata.namespace ?? "default" },
    involvedObject: involvedObject(obj),
    reason: spec.reason,
    message: spec.message,
    type: spec.type,
    reportingComponent: options.component,
  };
  if (options.style === "legacy") {
    const at = timestamp(nowMs);
    return {
      ...base,
      source: { component: options.component },
      firstTimestamp: at,
      lastTimestamp: at,
      count: 1,
      reportingInstance: "",
    } as KubeObject;
  }
  return {
    ...base,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    count: 0,
    eventTime: microTime(nowMs),
    action: spec.action ?? "",
    reportingInstance: `${options.component}-flotilla`,
  } as KubeObject;
}

interface Seen {
  name: string;
  namespace: string;
  at: number;
}

export class EventRecorder {
  #ctx: ApiContext;
  #kind: ResourceKind;
  #options: RecorderOptions;
  #recent = new Map<string, Seen>();
  /** The legacy recorder's aggregation and spam filter (the events.k8s.io one has neither upstream). */
  readonly #correlator?: EventCorrelator;

  constructor(ctx: ApiContext, options: RecorderOptions) {
    this.#ctx = ctx;
    this.#kind = ctx.kinds.byResource("events")!;
    this.#options = options;
    if (options.style === "legacy") this.#correlator = new EventCorrelator(options.component);
  }

  record(obj: KubeObject, recorded: EventSpec): void {
    const now = this.#ctx.now();
    const correlated = this.#correlator?.correlate(obj, recorded.type, recorded.reason, recorded.message, now);
    if (this.#correlator && !correlated) return; // the spam filter's
    const spec = correlated ? { ...recorded, message: correlated.message } : recorded;
    const id = correlated?.countKey ?? `${obj.metadata.uid}\u0000${spec.type}\u0000${spec.reason}\u0000${spec.message}`;
    const seen = this.#recent.get(id);
    if (seen && now - seen.at < SERIES_WINDOW_MS && this.#repeat(seen, spec.message, now)) return;
    const event = eventFor(obj, spec, now, this.#options);
    try {
      createObject(this.#ctx, this.#kind, event.metadata.namespace, event, this.#options.write);
    } catch {
      return; // a namespace being deleted refuses new events; the component goes on
    }
    if (this.#recent.size >= MAX_REMEMBERED) this.#recent.clear();
    this.#recent.set(id, { name: event.metadata.name!, namespace: event.metadata.namespace!, at: now });
  }

  /** Counts a repeat on the stored event (a combined one takes the latest message); false when it is gone. */
  #repeat(seen: Seen, message: string, now: number): boolean {
    const current = this.#ctx.store.get("events", seen.namespace, seen.name);
    if (!current) return false;
    // biome-ignore lint/suspicious/noExplicitAny: event fields beyond KubeObject's typed ones
    const next = structuredClone(current.object) as any;
    if (this.#options.style === "legacy") {
      next.message = message;
      next.count = (next.count ?? 1) + 1;
      next.lastTimestamp = timestamp(now);
    } else next.series = { count: (next.series?.count ?? 1) + 1, lastObservedTime: microTime(now) };
    this.#ctx.store.put("events", next, "MODIFIED");
    seen.at = now;
    return true;
  }
}
