// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): a finished Job
// with spec.ttlSecondsAfterFinished is deleted (background propagation, so its pods go too) that
// many seconds after its Complete or Failed condition; until then its key waits for the expiry.
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { finishedCondition } from "./job-status.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const TTL_AFTER_FINISHED_CONTROLLER = "ttl-after-finished-controller";
const JOBS = "jobs.batch";

export class TtlAfterFinishedController implements Controller {
  readonly name = TTL_AFTER_FINISHED_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, TTL_AFTER_FINISHED_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    return change.entry.resource === JOBS && change.type !== "DELETED" ? [change.entry.key] : [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(JOBS).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const job = this.#w.entry(key)?.object;
    const ttl = job?.spec?.ttlSecondsAfterFinished;
    if (!job || ttl == null || job.metadata.deletionTimestamp) return undefined;
    const finished = Date.parse(finishedCondition(job)?.lastTransitionTime ?? "");
    if (Number.isNaN(finished)) return undefined;
    const left = finished + Number(ttl) * 1000 - this.#w.ctx.now();
    if (left > 0) return { requeueAfterMs: left };
    this.#w.delete(JOBS, job, { propagationPolicy: "Background" });
    return undefined;
  }
}
