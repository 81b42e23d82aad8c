// When usage is measured and when it travels: the runtime is sampled on its own timer once per heartbeat
// interval (so a slow stats call never holds up a sync, and CPU rates cover about one interval, as
// metrics-server's scrapes do), and the newest sample rides along with the next sync that is due one:
// at most one report per interval, never a request of its own.
import type { MetricsReport } from "../kube/agent-protocol.ts";

/** Timers fire a little early or late; a report this much early still counts as on time. */
const TOLERANCE_MS = 100;

export class MetricsSampler {
  #ready?: MetricsReport;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #timer?: NodeJS.Timeout;
  #running = false;

  constructor(
    private readonly collect: () => Promise<MetricsReport | undefined>,
    private readonly intervalMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Samples now (the first reading primes the rates), then once per interval. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#sample();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  /** The report for the sync about to be sent, when one is ready and the previous went an interval ago. */
  take(): MetricsReport | undefined {
    const report = this.#ready;
    if (!report || this.now() - this.#lastSentAt < this.intervalMs() - TOLERANCE_MS) return undefined;
    this.#ready = undefined;
    this.#lastSentAt = this.now();
    return report;
  }

  /** The sync that carried `report` failed: it goes with the next one unless a newer sample came. */
  putBack(report: MetricsReport): void {
    this.#ready ??= report;
    this.#lastSentAt = Number.NEGATIVE_INFINITY;
  }

  async #sample(): Promise<void> {
    try {
      const report = await this.collect();
      if (report) this.#ready = report;
    } catch {
      // A failed reading only means no report this interval.
    }
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.#sample(), this.intervalMs());
    this.#timer.unref?.();
  }
}
