// The scheduler's writes, each as upstream makes it: the binding with its Scheduled event,
// the PodScheduled=False condition with FailedScheduling, and preemption's nomination,
// DisruptionTarget condition, Preempted event and deletion of each victim.
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { deleteObject } from "../writes/delete.ts";
import { bindPod } from "../writes/subresources.ts";
import { sameJson } from "../registry/meta.ts";
import type { ResourceKind } from "../registry/types.ts";
import { type EventRecorder, SCHEDULER_NAME, SCHEDULER_WRITE } from "./events.ts";
import type { Candidate } from "./preemption.ts";
import type { PodInfo } from "./types.ts";
import { selectNodeForClaims } from "./volume-claims.ts";

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export class Actions {
  #ctx: ApiContext;
  #pods: ResourceKind;
  #events: EventRecorder;

  constructor(ctx: ApiContext, events: EventRecorder) {
    this.#ctx = ctx;
    this.#pods = ctx.kinds.byResource("pods")!;
    this.#events = events;
  }

  /** pods/binding, then the Scheduled event; throws what binding throws (conflicts). */
  bind(pod: PodInfo, nodeName: string): void {
    this.#ctx.store.transaction(() => {
      selectNodeForClaims(this.#ctx, pod.object, nodeName);
      bindPod(this.#ctx, this.#pods, pod.namespace, pod.name, { target: { name: nodeName } } as never, SCHEDULER_WRITE);
      this.#events.record(pod.object, {
        type: "Normal",
        reason: "Scheduled",
        action: "Binding",
        message: `Successfully assigned ${pod.namespace}/${pod.name} to ${nodeName}`,
      });
    });
  }

  /** The pod stays Pending: its condition says why, and a FailedScheduling event repeats it. */
  unschedulable(pod: PodInfo, message: string, nominatedNodeName?: string): void {
    this.#ctx.store.transaction(() => {
      this.#updateStatus(pod.key, (status) => {
        status.conditions = withCondition(
          status.conditions ?? [],
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message,
          },
          this.#ctx.now(),
        );
        if (nominatedNodeName !== undefined) status.nominatedNodeName = nominatedNodeName;
      });
      this.#events.record(pod.object, { type: "Warning", reason: "FailedScheduling", action: "Scheduling", message });
    });
  }

  /** Evicts the victims of a preemption so `pod` fits on the candidate node. */
  preempt(pod: PodInfo, candidate: Candidate): void {
    for (const victim of candidate.victims) {
      this.#updateStatus(victim.key, (status) => {
        status.conditions = withCondition(
          status.conditions ?? [],
          {
            type: "DisruptionTarget",
            status: "True",
            reason: "PreemptionByScheduler",
            message: `${SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
          },
          this.#ctx.now(),
        );
      });
      this.#events.record(victim.object, {
        type: "Normal",
        reason: "Preempted",
        action: "Preempting",
        message: `Preempted by pod ${pod.uid} on node ${candidate.nodeName}`,
      });
      try {
        deleteObject(this.#ctx, this.#pods, victim.namespace, victim.name, SCHEDULER_WRITE);
      } catch {
        // Already gone: the room it held is free either way.
      }
    }
  }

  #updateStatus(key: string, change: (status: Record<string, unknown> & { conditions?: Condition[] }) => void): void {
    const current = this.#ctx.store.getByKey(key);
    if (!current) return;
    const next: KubeObject = structuredClone(current.object);
    next.status ??= {};
    change(next.status);
    if (sameJson(next.status, current.object.status)) return;
    this.#ctx.store.put(current.resource, next, "MODIFIED");
  }
}

/** Sets a condition, keeping lastTransitionTime when its status does not change. */
export function withCondition(conditions: Condition[], c: Condition, nowMs: number): Condition[] {
  const old = conditions.find((x) => x.type === c.type);
  const next: Condition = {
    ...c,
    lastProbeTime: null,
    lastTransitionTime:
      old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : timestamp(nowMs),
  };
  return old ? conditions.map((x) => (x === old ? next : x)) : [...conditions, next];
}
