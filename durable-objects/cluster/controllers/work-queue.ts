// One controller's queue: each key at most once, with the time it is due; a min-heap with
// lazy deletion finds the earliest. Failures are counted per key for exponential back-off
// (upstream's ItemExponentialFailureRateLimiter: 5 ms doubling up to 1000 s).

const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 1_000_000;

export function backoffDelay(failures: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(failures - 1, 0), MAX_DELAY_MS);
}

interface HeapItem {
  due: number;
  key: string;
}

export class WorkQueue {
  #due = new Map<string, number>();
  #heap: HeapItem[] = [];
  #failures = new Map<string, number>();

  get size(): number {
    return this.#due.size;
  }

  has(key: string): boolean {
    return this.#due.has(key);
  }

  dueOf(key: string): number | undefined {
    return this.#due.get(key);
  }

  /** Queues key for `due`, or moves it earlier if it waits for later already. */
  add(key: string, due: number): void {
    const current = this.#due.get(key);
    if (current !== undefined && current <= due) return;
    this.#due.set(key, due);
    this.#push({ due, key });
  }

  /** Queues key for exactly `due` (a retry after failure), even if that is later. */
  set(key: string, due: number): void {
    this.#due.set(key, due);
    this.#push({ due, key });
  }

  /** The earliest due time, or undefined when empty. */
  peek(): number | undefined {
    this.#dropStale();
    return this.#heap[0]?.due;
  }

  /** Takes the earliest key if it is due by `now`. */
  pop(now: number): string | undefined {
    this.#dropStale();
    const top = this.#heap[0];
    if (!top || top.due > now) return undefined;
    this.#shift();
    this.#due.delete(top.key);
    return top.key;
  }

  /** One more failure of key; returns the count. */
  fail(key: string): number {
    const n = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, n);
    return n;
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Heap entries whose key was re-queued at another time (or taken) are skipped. */
  #dropStale(): void {
    while (this.#heap.length > 0) {
      const top = this.#heap[0];
      if (this.#due.get(top.key) === top.due) return;
      this.#shift();
    }
  }

  #push(item: HeapItem): void {
    const h = this.#heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].due <= h[i].due) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  #shift(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].due < h[m].due) m = l;
      if (r < h.length && h[r].due < h[m].due) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}
