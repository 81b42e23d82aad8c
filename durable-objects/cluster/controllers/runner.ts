// The reconciliation runner: store changes become keys on per-controller queues, and the
// Durable Object's alarm is armed for the earliest due key only — soon after a change
// (batched), at a deadline a controller asked for, or not at all when nothing is due, so an
// idle cluster sleeps. A tick reconciles due keys until its budget is spent and leaves the
// rest to the next alarm. Queues live in memory: on start they are rebuilt from the store.
import type { Change } from "../store/object-store.ts";
import type { Controller } from "./types.ts";
import { backoffDelay, WorkQueue } from "./work-queue.ts";

/** How long after a change the alarm fires, so a burst of changes is handled in one tick. */
export const BATCH_DELAY_MS = 20;
/** Wall time one tick may spend reconciling. */
export const TICK_BUDGET_MS = 50;
/**
 * Reconciles per tick as well: inside workerd the clock stands still while code runs
 * without I/O, so a time budget alone would never end a tick.
 */
export const TICK_MAX_RECONCILES = 200;
/** Keys due this close to now run in this tick rather than costing another alarm. */
const EARLY_MS = 2;

export interface Alarm {
  /** Arms the alarm for `at` (ms since the epoch), or disarms it with null. */
  arm(at: number | null): void;
}

export interface RunnerOptions {
  now(): number;
  alarm: Alarm;
  /** Wall clock for the tick budget (Date.now unless a test drives it). */
  clock?: () => number;
  batchDelayMs?: number;
  budgetMs?: number;
  maxReconciles?: number;
  /** Told of reconcile failures (console.error by default). */
  onError?(controller: string, key: string, error: unknown): void;
}

export interface TickReport {
  reconciled: number;
  failed: number;
  /** When the next alarm is armed for, or null when nothing is due. */
  next: number | null;
}

/**
 * Counters since the runner was built, for benchmarks and the admin debug path. No time per
 * tick: inside workerd the clock stands still while a tick runs, so it would always read 0;
 * CPU per tick is measured from outside (the process's CPU time over the ticks counted here).
 */
export interface RunnerStats {
  ticks: number;
  /** Ticks that found nothing due (an early alarm, or one armed for a deadline since moved). */
  emptyTicks: number;
  reconciles: number;
  failures: number;
  /** The most reconciles one tick ran. */
  maxReconcilesPerTick: number;
  /** Reconciles per controller name, and keys waiting per controller now. */
  byController: Record<string, { reconciles: number; failures: number; pending: number }>;
}

interface Slot {
  controller: Controller;
  queue: WorkQueue;
  reconciles: number;
  failures: number;
}

export class Runner {
  #slots: Slot[];
  #options: RunnerOptions;
  /** The time the alarm is armed for, as far as this runner knows; null when none. */
  #armed: number | null = null;
  #ticking = false;
  #unsubscribe: (() => void) | undefined;
  #ticks = 0;
  #emptyTicks = 0;
  #maxPerTick = 0;

  constructor(controllers: readonly Controller[], options: RunnerOptions) {
    this.#slots = controllers.map((controller) => ({ controller, queue: new WorkQueue(), reconciles: 0, failures: 0 }));
    this.#options = options;
  }

  /** Queues every key each controller owns (the queues were lost when the object slept). */
  start(): void {
    const now = this.#options.now();
    for (const { controller, queue } of this.#slots) for (const key of controller.initialKeys()) queue.add(key, now);
    this.#rearm();
  }

  /** Follows changes through `subscribe` (the store's onChange) until stop(). */
  follow(subscribe: (listener: (change: Change) => void) => () => void): void {
    this.#unsubscribe = subscribe((change) => this.onChange(change));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** The store listener: each controller queues the keys the change concerns. */
  onChange(change: Change): void {
    const due = this.#options.now() + (this.#options.batchDelayMs ?? BATCH_DELAY_MS);
    let added = false;
    for (const { controller, queue } of this.#slots) {
      for (const key of controller.keysFor(change)) {
        queue.add(key, due);
        added = true;
      }
    }
    // During a tick the alarm is re-armed once at its end.
    if (added && !this.#ticking && (this.#armed === null || due < this.#armed)) this.#arm(due);
  }

  /** Queues one key of one controller (tests and callers that know better than a change). */
  enqueue(controllerName: string, key: string, due = this.#options.now()): void {
    const slot = this.#slots.find((s) => s.controller.name === controllerName);
    if (!slot) throw new Error(`no controller ${controllerName}`);
    slot.queue.add(key, due);
    if (!this.#ticking && (this.#armed === null || due < this.#armed)) this.#arm(due);
  }

  /** The alarm handler: reconciles due keys within the budget, then arms for what is left. */
  tick(): TickReport {
    this.#armed = null; // the alarm that called us is spent
    this.#ticking = true;
    const clock = this.#options.clock ?? Date.now;
    const started = clock();
    const budget = this.#options.budgetMs ?? TICK_BUDGET_MS;
    const max = this.#options.maxReconciles ?? TICK_MAX_RECONCILES;
    let reconciled = 0;
    let failed = 0;
    try {
      while (reconciled < max && clock() - started < budget) {
        const next = this.#takeDue(this.#options.now() + EARLY_MS);
        if (!next) break;
        reconciled++;
        if (!this.#run(next.slot, next.key)) failed++;
      }
    } finally {
      this.#ticking = false;
      this.#count(reconciled);
    }
    return { reconciled, failed, next: this.#rearm() };
  }

  /** When the earliest key is due, or null when all queues are empty. */
  nextDue(): number | null {
    let best: number | null = null;
    for (const { queue } of this.#slots) {
      const due = queue.peek();
      if (due !== undefined && (best === null || due < best)) best = due;
    }
    return best;
  }

  /** Keys waiting per controller (tests and figures). */
  pending(): Record<string, number> {
    return Object.fromEntries(this.#slots.map((s) => [s.controller.name, s.queue.size]));
  }

  /** The counters so far (a copy). */
  stats(): RunnerStats {
    const byController: RunnerStats["byController"] = {};
    let reconciles = 0;
    let failures = 0;
    for (const s of this.#slots) {
      byController[s.controller.name] = { reconciles: s.reconciles, failures: s.failures, pending: s.queue.size };
      reconciles += s.reconciles;
      failures += s.failures;
    }
    return {
      ticks: this.#ticks,
      emptyTicks: this.#emptyTicks,
      reconciles,
      failures,
      maxReconcilesPerTick: this.#maxPerTick,
      byController,
    };
  }

  #count(reconciled: number): void {
    this.#ticks++;
    if (reconciled === 0) this.#emptyTicks++;
    if (reconciled > this.#maxPerTick) this.#maxPerTick = reconciled;
  }

  /** The earliest due key across controllers, so no controller starves the others. */
  #takeDue(until: number): { slot: Slot; key: string } | undefined {
    let best: Slot | undefined;
    let bestDue = Number.POSITIVE_INFINITY;
    for (const slot of this.#slots) {
      const due = slot.queue.peek();
      if (due !== undefined && due <= until && due < bestDue) {
        best = slot;
        bestDue = due;
      }
    }
    const key = best?.queue.pop(until);
    return best && key !== undefined ? { slot: best, key } : undefined;
  }

  /** Runs one reconcile; a failure re-queues only that key, later each time. */
  #run(slot: Slot, key: string): boolean {
    const { controller, queue } = slot;
    slot.reconciles++;
    try {
      const result = controller.reconcile(key);
      queue.forget(key);
      if (result?.requeueAfterMs !== undefined) queue.add(key, this.#options.now() + result.requeueAfterMs);
      return true;
    } catch (error) {
      slot.failures++;
      const failures = queue.fail(key);
      queue.set(key, this.#options.now() + backoffDelay(failures));
      (this.#options.onError ?? logError)(controller.name, key, error);
      return false;
    }
  }

  #rearm(): number | null {
    const next = this.nextDue();
    if (next === null) {
      if (this.#armed !== null) this.#arm(null);
      return null;
    }
    if (this.#armed !== next) this.#arm(next);
    return next;
  }

  #arm(at: number | null): void {
    this.#armed = at;
    this.#options.alarm.arm(at);
  }
}

function logError(controller: string, key: string, error: unknown): void {
  console.error(`${controller}: ${key}: ${(error as Error)?.message ?? error}`);
}
