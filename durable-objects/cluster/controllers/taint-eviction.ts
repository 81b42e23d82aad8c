// The taint eviction controller (upstream pkg/controller/tainteviction): pods bound to a node with
// NoExecute taints they do not tolerate are deleted at once; tolerated for tolerationSeconds, they
// are deleted when that runs out (counted from the taint's timeAdded). Before the delete the pod
// gets the DisruptionTarget condition, as upstream. One key per node; a node with pods still
// within their toleration is requeued for the earliest deadline. Pods of a dead node then stay
// Terminating (no kubelet finishes them), as upstream; they are no longer active, so their
// ReplicaSets replace them elsewhere.
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { EVICT_NOW, evictionDeadline, type NoExecuteTaint, timeAddedMs } from "./taint-eviction-math.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const TAINT_EVICTION_CONTROLLER = "taint-eviction-controller";

const noExecuteTaints = (node: KubeObject): NoExecuteTaint[] =>
  ((node.spec?.taints ?? []) as NoExecuteTaint[]).filter((t) => t.effect === "NoExecute");

export class TaintEvictionController implements Controller {
  readonly name = TAINT_EVICTION_CONTROLLER;
  readonly #w: Writer;
  /** When the controller first saw a NoExecute taint without timeAdded (node/key), so its count starts once. */
  readonly #firstSeen = new Map<string, number>();

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, TAINT_EVICTION_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const obj = change.entry.object;
    if (change.entry.resource === "nodes") return change.type === "DELETED" ? [] : [obj.metadata.name!];
    if (change.entry.resource !== "pods" || change.type === "DELETED") return [];
    const node = obj.spec?.nodeName;
    // Pod changes (every status an agent reports) matter only on a node with NoExecute taints; a node's own
    // changes wake it when the taints come and go.
    if (!node || obj.metadata.deletionTimestamp) return [];
    const tainted = this.ctx.store.get("nodes", undefined, node)?.object;
    return tainted && noExecuteTaints(tainted).length > 0 ? [node] : [];
  }

  initialKeys(): string[] {
    return this.ctx.store
      .list("nodes")
      .filter((e) => noExecuteTaints(e.object).length > 0)
      .map((e) => e.object.metadata.name!);
  }

  reconcile(nodeName: string): ReconcileResult | undefined {
    const node = this.ctx.store.get("nodes", undefined, nodeName)?.object;
    const taints = node ? noExecuteTaints(node) : [];
    this.#forgetOtherTaints(nodeName, taints);
    if (taints.length === 0) return undefined;
    const now = this.ctx.now();
    const addedAt = (t: NoExecuteTaint) => timeAddedMs(t) ?? this.#seen(nodeName, t, now);
    let next: number | undefined;
    for (const entry of this.ctx.store.list("pods")) {
      const pod = entry.object;
      if (pod.spec?.nodeName !== nodeName || pod.metadata.deletionTimestamp) continue;
      const deadline = evictionDeadline(taints, pod.spec?.tolerations ?? [], addedAt);
      if (deadline === undefined) continue;
      if (deadline === EVICT_NOW || deadline <= now) this.#evict(pod);
      else if (next === undefined || deadline < next) next = deadline;
    }
    return next === undefined ? undefined : { requeueAfterMs: next - now + 1 };
  }

  /** addConditionAndDeletePod: the DisruptionTarget condition, the event, then the delete. */
  #evict(pod: KubeObject): void {
    const ns = pod.metadata.namespace ?? "default";
    this.#w.events.record(pod, {
      type: "Normal",
      reason: "TaintManagerEviction",
      message: `Marking for deletion Pod ${ns}/${pod.metadata.name}`,
    });
    const conditions = (pod.status?.conditions ?? []).filter((c: { type?: string }) => c.type !== "DisruptionTarget");
    conditions.push({
      type: "DisruptionTarget",
      status: "True",
      reason: "DeletionByTaintManager",
      message: "Taint manager: deleting due to NoExecute taint",
      lastTransitionTime: timestamp(this.ctx.now()),
    });
    const updated = this.#w.updateStatus("pods", pod, { ...pod.status, conditions });
    this.#w.delete("pods", updated);
  }

  #seen(nodeName: string, taint: NoExecuteTaint, now: number): number {
    const id = `${nodeName}/${taint.key}`;
    const at = this.#firstSeen.get(id);
    if (at !== undefined) return at;
    this.#firstSeen.set(id, now);
    return now;
  }

  #forgetOtherTaints(nodeName: string, taints: NoExecuteTaint[]): void {
    for (const id of this.#firstSeen.keys())
      if (id.startsWith(`${nodeName}/`) && !taints.some((t) => id === `${nodeName}/${t.key}`))
        this.#firstSeen.delete(id);
  }
}
