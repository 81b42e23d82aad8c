// Two back-offs: upstream's container restart back-off (CrashLoopBackOff: 10s doubling to 5m, forgotten
// after 2×max without a failure, as client-go's flowcontrol.Backoff), and the agent's retry delay with
// jitter when the cluster is unreachable.

export const CRASH_BACKOFF_INITIAL_MS = 10_000;
export const CRASH_BACKOFF_MAX_MS = 300_000;

interface Entry {
  delayMs: number;
  lastUpdateMs: number;
}

/** Per-key exponential back-off (key: pod uid + container name). */
export class RestartBackoff {
  #entries = new Map<string, Entry>();
  constructor(
    readonly initialMs = CRASH_BACKOFF_INITIAL_MS,
    readonly maxMs = CRASH_BACKOFF_MAX_MS,
  ) {}

  /** Records a restart at `now` and returns the delay that now applies (10s, 20s, 40s … 5m). */
  next(key: string, now: number): number {
    const entry = this.#entries.get(key);
    if (!entry || now - entry.lastUpdateMs > 2 * this.maxMs) {
      this.#entries.set(key, { delayMs: this.initialMs, lastUpdateMs: now });
      return this.initialMs;
    }
    entry.delayMs = Math.min(entry.delayMs * 2, this.maxMs);
    entry.lastUpdateMs = now;
    return entry.delayMs;
  }

  /** The current delay for a key, without advancing it (undefined when never backed off or expired). */
  current(key: string, now: number): number | undefined {
    const entry = this.#entries.get(key);
    if (!entry || now - entry.lastUpdateMs > 2 * this.maxMs) return undefined;
    return entry.delayMs;
  }

  /** Whether a container that finished at `finishedAt` must still wait before its restart. */
  inBackoffSince(key: string, finishedAt: number, now: number): boolean {
    const delay = this.current(key, now);
    return delay !== undefined && now - finishedAt < delay;
  }

  forget(prefix: string): void {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}

/** Go's time.Duration.String() for whole seconds and above ("10s", "1m20s", "5m0s"), as in upstream messages. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** Retry delay for the n-th consecutive failure (0-based): 1s doubling to maxMs, with ±20% jitter. */
export function retryDelay(attempt: number, random: () => number = Math.random, maxMs = 30_000): number {
  const base = Math.min(1000 * 2 ** Math.min(attempt, 30), maxMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}
