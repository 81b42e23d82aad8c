// The shape every controller has: which store changes wake it (as keys of the objects it
// owns), the keys to look at when the cluster object starts, and an idempotent reconcile.
import type { Change } from "../store/object-store.ts";

export interface ReconcileResult {
  /** Look at this key again after so many milliseconds (deadlines, minReadySeconds …). */
  requeueAfterMs?: number;
}

export interface Controller {
  /** Upstream's controller name ("replicaset-controller"), for logs and events. */
  readonly name: string;
  /** The keys a change concerns (an owner of a changed pod, a service selecting it …). */
  keysFor(change: Change): Iterable<string>;
  /** Every key this controller owns, reconciled once when the object starts. */
  initialKeys(): Iterable<string>;
  /**
   * Brings the object at `key` (and what it owns) to its declared state. Idempotent: alarms
   * are delivered at least once, and a key may be reconciled again with nothing changed.
   * Throwing retries the key with back-off.
   */
  reconcile(key: string): ReconcileResult | undefined;
}
