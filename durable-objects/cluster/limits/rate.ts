// A token bucket per cluster: `rate` requests per second on average, bursts up to `burst`.
// One bucket per object means one tenant's flood only ever drains its own bucket.

export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes one token; when none is left, the whole seconds until one will be (for Retry-After). */
  take(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    const waitMs = ((1 - this.#tokens) / this.rate) * 1000;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed / 1000) * this.rate);
  }
}
