// The pod garbage collector (upstream pkg/controller/podgc): removes pods nothing else would ever finish —
// pods bound to a node that does not exist (after the quarantine, so a node joining late is not raced),
// terminating pods on a NotReady node tainted node.kubernetes.io/out-of-service, and terminating pods that
// were never scheduled. One key per node name (and one for the unscheduled); upstream polls every 20 s,
// here a change wakes the key and a missing node's key is requeued for the end of its quarantine only, so
// the alarm is armed only while such a deadline exists.
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { failedStatus, isOutOfService, planNode, planUnscheduled, type Removal } from "./podgc-plan.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const POD_GC_CONTROLLER = "pod-garbage-collector";
/** Not a valid node name (DNS subdomain), so it never collides with one. */
export const UNSCHEDULED_KEY = "(unscheduled)";

export class PodGCController implements Controller {
  readonly name = POD_GC_CONTROLLER;
  readonly #w: Writer;
  /** node name → when it was first seen missing with pods bound to it. */
  readonly #missingSince = new Map<string, number>();

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, POD_GC_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const obj = change.entry.object;
    if (change.entry.resource === "nodes") {
      const name = obj.metadata.name!;
      // A node gone orphans its pods; one turning out-of-service frees its terminating ones.
      return change.type === "DELETED" || isOutOfService(obj) ? [name] : [];
    }
    if (change.entry.resource !== "pods" || change.type === "DELETED") return [];
    return this.#keyOf(obj);
  }

  initialKeys(): string[] {
    const keys = new Set<string>();
    for (const entry of this.ctx.store.list("pods")) for (const key of this.#keyOf(entry.object)) keys.add(key);
    return [...keys];
  }

  reconcile(key: string): ReconcileResult | undefined {
    const pods = this.ctx.store.list("pods").map((e) => e.object);
    if (key === UNSCHEDULED_KEY) {
      this.#removeAll(planUnscheduled(pods));
      return undefined;
    }
    const now = this.ctx.now();
    const plan = planNode({
      node: this.ctx.store.get("nodes", undefined, key)?.object,
      pods: pods.filter((p) => p.spec?.nodeName === key),
      missingSince: this.#missingSince.get(key),
      now,
    });
    if (plan.missingSince === undefined) this.#missingSince.delete(key);
    else this.#missingSince.set(key, plan.missingSince);
    this.#removeAll(plan.remove);
    return plan.recheckAt === undefined ? undefined : { requeueAfterMs: plan.recheckAt - now };
  }

  /** Pod changes matter when the pod's node is missing or out of service, or it is terminating unscheduled. */
  #keyOf(pod: KubeObject): string[] {
    const nodeName = pod.spec?.nodeName as string | undefined;
    if (!nodeName) return pod.metadata.deletionTimestamp ? [UNSCHEDULED_KEY] : [];
    const node = this.ctx.store.get("nodes", undefined, nodeName)?.object;
    if (!node) return [nodeName];
    return pod.metadata.deletionTimestamp && isOutOfService(node) ? [nodeName] : [];
  }

  /** markFailedAndDeletePodWithCondition: Failed (and the condition), then a delete with grace period 0. */
  #removeAll(removals: Removal[]): void {
    for (const { pod, condition } of removals) {
      const status = failedStatus(pod.status, condition, timestamp(this.ctx.now()));
      const current = status ? this.#w.updateStatus("pods", pod, status) : pod;
      this.#w.delete("pods", current, { gracePeriodSeconds: 0 });
    }
  }
}
