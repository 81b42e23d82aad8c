// client-go's EventCorrelator for the legacy (core/v1) recorder, minus its repeat counting (record.ts counts):
// similar events (same source, object, type and reason) past 10 different messages in 10 minutes become one
// "(combined from similar events)" event, and a source may burst 25 events about one object, then one every
// 5 minutes. Without the latter a ReplicaSet of 5,000 replicas wrote 5,000 SuccessfulCreate events in a burst
// (a fifth of the writes of a scale-up), where kube-controller-manager writes 25.
import type { KubeObject } from "../../../kube/types.ts";

const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
const CACHE_ENTRIES = 4096;

export const COMBINED_PREFIX = "(combined from similar events): ";

/** A Map that forgets its least recently used entry past `max` (client-go's lru.Cache). */
class Lru<V> {
  readonly #map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value as string);
  }
}

export interface Correlated {
  /** The message to record: the event's own, or the combined one once similar events are aggregated. */
  message: string;
  /** Identifies the stored event a repeat counts on (the aggregate's for combined events). */
  countKey: string;
}

export class EventCorrelator {
  readonly #aggregates = new Lru<{ messages: Set<string>; at: number }>(CACHE_ENTRIES);
  readonly #spam = new Lru<{ tokens: number; at: number }>(CACHE_ENTRIES);

  constructor(private readonly component: string) {}

  /** What to record for this event now, or undefined when the spam filter drops it. */
  correlate(obj: KubeObject, type: string, reason: string, message: string, now: number): Correlated | undefined {
    const { kind, apiVersion } = obj;
    const { namespace, name, uid } = obj.metadata;
    const object = [this.component, kind, namespace, name, uid, apiVersion].join("\u0000");
    const similar = `${object}\u0000${type}\u0000${reason}`;
    let record = this.#aggregates.get(similar);
    if (!record || now - record.at > AGGREGATE_INTERVAL_MS) record = { messages: new Set(), at: now };
    record.messages.add(message);
    record.at = now;
    this.#aggregates.set(similar, record);
    const combined = record.messages.size >= AGGREGATE_MAX_EVENTS;
    // Upstream keeps the set at its cap by dropping any member, so aggregation lasts while messages vary.
    if (combined) record.messages.delete(record.messages.values().next().value as string);
    if (!this.#take(object, now)) return undefined;
    return combined
      ? { message: COMBINED_PREFIX + message, countKey: similar }
      : { message, countKey: `${similar}\u0000${message}` };
  }

  /** A token from the object's bucket (burst 25, one more every 5 minutes). */
  #take(key: string, now: number): boolean {
    const bucket = this.#spam.get(key) ?? { tokens: SPAM_BURST, at: now };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.at) / SPAM_REFILL_MS);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#spam.set(key, bucket);
    return allowed;
  }
}
