// The scheduler's events: upstream's scheduler records through the events.k8s.io/v1 recorder
// (reportingController default-scheduler, an action, eventTime, a growing series).
import type { ApiContext } from "../context.ts";
import { SYSTEM_WRITE, type WriteOptions } from "../writes/options.ts";
import { EventRecorder as Recorder } from "../events/record.ts";

export { type EventSpec, microTime } from "../events/record.ts";

export const SCHEDULER_NAME = "default-scheduler";

export const SCHEDULER_WRITE: WriteOptions = { ...SYSTEM_WRITE, fieldManager: SCHEDULER_NAME };

export class EventRecorder extends Recorder {
  constructor(ctx: ApiContext) {
    super(ctx, { component: SCHEDULER_NAME, style: "events.k8s.io", write: SCHEDULER_WRITE });
  }
}
