// The scheduling queue, after upstream's PriorityQueue: an active heap ordered by priority then
// age, pods that did not fit parked as unschedulable until a change that may help them, and
// a back-off (1s doubling to 10s per failed attempt) before a moved pod is tried again.
export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;

interface Entry {
  key: string;
  priority: number;
  created: number;
  seq: number;
}

interface Parked {
  entry: Entry;
  attempts: number;
  /** When the last attempt failed (ms), for the back-off. */
  failedAt: number;
  /** Plugins that rejected it, to decide which changes may help. */
  plugins: ReadonlySet<string>;
}

export const backoffFor = (attempts: number): number =>
  Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);

const before = (a: Entry, b: Entry) =>
  a.priority !== b.priority ? a.priority > b.priority : a.created !== b.created ? a.created < b.created : a.seq < b.seq;

export class SchedulingQueue {
  #heap: Entry[] = [];
  #active = new Set<string>();
  #attempts = new Map<string, number>();
  #unschedulable = new Map<string, Parked>();
  #backoff = new Map<string, Parked>();
  #seq = 0;

  get activeCount(): number {
    return this.#heap.length;
  }
  get pendingCount(): number {
    return this.#heap.length + this.#unschedulable.size + this.#backoff.size;
  }
  has(key: string): boolean {
    return this.#active.has(key) || this.#unschedulable.has(key) || this.#backoff.has(key);
  }
  isUnschedulable(key: string): boolean {
    return this.#unschedulable.has(key);
  }

  /** A pod to try now (new, or updated in a way that may help). */
  add(key: string, priority: number, created: number): void {
    this.#unschedulable.delete(key);
    this.#backoff.delete(key);
    if (this.#active.has(key)) return;
    this.#push({ key, priority, created, seq: this.#seq++ });
  }

  pop(): string | undefined {
    const top = this.#heap[0];
    if (!top) return undefined;
    const last = this.#heap.pop()!;
    if (this.#heap.length) {
      this.#heap[0] = last;
      this.#down(0);
    }
    this.#active.delete(top.key);
    return top.key;
  }

  delete(key: string): void {
    this.#unschedulable.delete(key);
    this.#backoff.delete(key);
    this.#attempts.delete(key);
    if (this.#active.delete(key)) {
      const i = this.#heap.findIndex((e) => e.key === key);
      const last = this.#heap.pop()!;
      if (i < this.#heap.length) {
        this.#heap[i] = last;
        this.#down(i);
        this.#up(i);
      }
    }
  }

  /** Parks a pod that did not fit; it waits for a change that may help. */
  markUnschedulable(key: string, priority: number, created: number, plugins: ReadonlySet<string>, now: number): void {
    const attempts = (this.#attempts.get(key) ?? 0) + 1;
    this.#attempts.set(key, attempts);
    this.#unschedulable.set(key, {
      entry: { key, priority, created, seq: this.#seq++ },
      attempts,
      failedAt: now,
      plugins,
    });
  }

  /** The pod was bound or left: forget its attempts. */
  done(key: string): void {
    this.#attempts.delete(key);
  }

  /**
   * Moves parked pods a change may help (all, or those a plugin in `plugins` rejected) to the
   * active heap, or to back-off while theirs has not run out.
   */
  moveUnschedulable(now: number, plugins?: ReadonlySet<string>): void {
    for (const [key, parked] of this.#unschedulable) {
      if (plugins && ![...parked.plugins].some((p) => plugins.has(p))) continue;
      this.#unschedulable.delete(key);
      if (now >= parked.failedAt + backoffFor(parked.attempts)) this.#push(parked.entry);
      else this.#backoff.set(key, parked);
    }
  }

  /** Moves pods whose back-off ran out; returns the next deadline (ms) or undefined. */
  flushBackoff(now: number): number | undefined {
    let next: number | undefined;
    for (const [key, parked] of this.#backoff) {
      const until = parked.failedAt + backoffFor(parked.attempts);
      if (now >= until) {
        this.#backoff.delete(key);
        this.#push(parked.entry);
      } else if (next === undefined || until < next) next = until;
    }
    return next;
  }

  #push(entry: Entry): void {
    this.#active.add(entry.key);
    this.#heap.push(entry);
    this.#up(this.#heap.length - 1);
  }

  #up(i: number): void {
    const h = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  #down(i: number): void {
    const h = this.#heap;
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let best = i;
      if (l < h.length && before(h[l], h[best])) best = l;
      if (r < h.length && before(h[r], h[best])) best = r;
      if (best === i) return;
      [h[i], h[best]] = [h[best], h[i]];
      i = best;
    }
  }
}
