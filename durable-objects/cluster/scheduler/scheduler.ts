// The scheduler inside the cluster object: it follows store changes into its cache and queue,
// and runs scheduling cycles in batches on a zero-delay timer only when pods are waiting; an
// idle cluster has no timer armed. A back-off timer exists only while pods sit in back-off.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, STORAGE_CLASSES } from "../registry/storage-common.ts";
import type { Change } from "../store/object-store.ts";
import { Actions } from "./actions.ts";
import { occupiesNode, SchedulerCache } from "./cache.ts";
import { EventRecorder, SCHEDULER_NAME } from "./events.ts";
import { fitErrorMessage } from "./fit-error.ts";
import { Framework } from "./framework.ts";
import { podInfo } from "./pod-info.ts";
import { defaultPlugins } from "./plugins/index.ts";
import { preempt } from "./preemption.ts";
import { SchedulingQueue } from "./queue.ts";
import type { PodInfo } from "./types.ts";
import { storeStorageView } from "./volume-claims.ts";

/** How long one batch may run before yielding to requests. */
const BATCH_BUDGET_MS = 50;
/**
 * Pods one batch places before it looks at the clock. The budget is wall time: on a starved CPU (other
 * processes on the host) 50 ms held one or two placements, and every batch waits a turn behind all the
 * agents' syncs its placements woke, so binding fell to a few pods a second — far below the CPU share.
 */
export const MIN_BATCH = 32;
/**
 * Pods one batch places at most, whatever the clock says: deployed workerd (and the local one without its
 * inspector) stops the clock while code runs without I/O, so a wall-clock budget never ends a batch there,
 * and one batch placed every waiting pod (thousands: seconds in which no request was answered).
 */
export const MAX_BATCH = 64;
/** Plugins whose verdict a newly placed pod may change (affinity and spread count pods). */
const POD_SENSITIVE = new Set(["InterPodAffinity", "PodTopologySpread"]);
/** Claims, volumes and classes change only VolumeBinding's verdict. */
const VOLUME_SENSITIVE = new Set(["VolumeBinding"]);
const STORAGE_RESOURCES = new Set([PERSISTENT_VOLUME_CLAIMS, PERSISTENT_VOLUMES, STORAGE_CLASSES]);

/** A pod this scheduler should place: unbound, ours, not gated, not going away. */
export function awaitsScheduling(pod: KubeObject): boolean {
  const spec = pod.spec ?? {};
  if (spec.nodeName || pod.metadata.deletionTimestamp) return false;
  if ((spec.schedulerName ?? SCHEDULER_NAME) !== SCHEDULER_NAME) return false;
  if ((spec.schedulingGates ?? []).length > 0) return false;
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed";
}

const schedulingInputs = (pod: KubeObject | undefined) =>
  pod && JSON.stringify([pod.spec, pod.metadata.labels, pod.metadata.deletionTimestamp]);

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue = new SchedulingQueue();
  readonly framework: Framework;
  #ctx: ApiContext;
  #actions: Actions;
  #unsubscribe: (() => void) | undefined;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #backoffTimer: ReturnType<typeof setTimeout> | undefined;
  #backoffAt = 0;
  /** The pod being bound, so its change reuses the parsed info. */
  #binding: PodInfo | undefined;

  constructor(ctx: ApiContext) {
    this.#ctx = ctx;
    this.cache.storage = storeStorageView(ctx);
    this.framework = new Framework(defaultPlugins, this.cache);
    this.#actions = new Actions(ctx, new EventRecorder(ctx));
  }

  start(): void {
    const store = this.#ctx.store;
    for (const ns of store.list("namespaces"))
      this.cache.setNamespace(ns.object.metadata.name!, ns.object.metadata.labels ?? {});
    for (const node of store.list("nodes")) this.cache.setNode(node.object);
    for (const e of store.list("pods")) {
      if (occupiesNode(e.object)) this.cache.addPod(podInfo(e.key, e.object));
      else if (awaitsScheduling(e.object)) this.#enqueue(e.key, e.object);
    }
    this.#unsubscribe = store.onChange((c) => this.#onChange(c));
    this.#armDrain();
  }

  stop(): void {
    this.#unsubscribe?.();
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    if (this.#backoffTimer !== undefined) clearTimeout(this.#backoffTimer);
    this.#drainTimer = this.#backoffTimer = undefined;
  }

  /** Whether any timer is armed (tests check that an idle scheduler sleeps). */
  get idle(): boolean {
    return this.#drainTimer === undefined && this.#backoffTimer === undefined;
  }

  #enqueue(key: string, pod: KubeObject): void {
    const created = Date.parse(pod.metadata.creationTimestamp ?? "") || 0;
    this.queue.add(key, typeof pod.spec?.priority === "number" ? pod.spec.priority : 0, created);
  }

  #onChange(change: Change): void {
    const { resource, object } = change.entry;
    if (resource === "pods") this.#onPod(change);
    else if (resource === "nodes") {
      if (change.type === "DELETED") this.cache.removeNode(object.metadata.name!);
      else {
        this.cache.setNode(object);
        this.queue.moveUnschedulable(this.#ctx.now());
      }
    } else if (STORAGE_RESOURCES.has(resource)) this.queue.moveUnschedulable(this.#ctx.now(), VOLUME_SENSITIVE);
    else if (resource === "namespaces")
      this.cache.setNamespace(
        object.metadata.name!,
        change.type === "DELETED" ? undefined : (object.metadata.labels ?? {}),
      );
    else return;
    this.#armBackoff();
  }

  #onPod(change: Change): void {
    const { key, object } = change.entry;
    const now = this.#ctx.now();
    if (change.type !== "DELETED" && occupiesNode(object)) {
      const known = this.cache.assignedPod(key);
      const info =
        this.#binding?.key === key
          ? { ...this.#binding, nodeName: object.spec.nodeName, object }
          : podInfo(key, object);
      this.cache.addPod(info);
      this.queue.delete(key);
      if (!known) this.queue.moveUnschedulable(now, POD_SENSITIVE);
      return;
    }
    // Gone, finished or terminating: its room on the node is free again.
    if (this.cache.removePod(key)) this.queue.moveUnschedulable(now);
    if (change.type === "DELETED" || !awaitsScheduling(object)) {
      this.queue.delete(key);
      return;
    }
    const parked = this.queue.isUnschedulable(key);
    if (parked && schedulingInputs(change.previous?.object) === schedulingInputs(object)) return;
    if (!this.queue.has(key) || parked) this.#enqueue(key, object);
  }

  #armDrain(): void {
    if (this.#drainTimer !== undefined || this.queue.activeCount === 0) return;
    this.#drainTimer = setTimeout(() => {
      this.#drainTimer = undefined;
      this.drain();
    }, 0);
  }

  #armBackoff(): void {
    const now = this.#ctx.now();
    const next = this.queue.flushBackoff(now);
    this.#armDrain();
    if (next === undefined || (this.#backoffTimer !== undefined && this.#backoffAt <= next)) return;
    if (this.#backoffTimer !== undefined) clearTimeout(this.#backoffTimer);
    this.#backoffAt = next;
    this.#backoffTimer = setTimeout(() => {
      this.#backoffTimer = undefined;
      this.#armBackoff();
    }, next - now);
  }

  /** Schedules waiting pods until the queue is empty or the batch budget is spent. */
  drain(budgetMs = BATCH_BUDGET_MS): number {
    const deadline = Date.now() + budgetMs;
    let n = 0;
    for (let key = this.queue.pop(); key !== undefined; key = this.queue.pop()) {
      this.scheduleOne(key);
      n++;
      if (n >= MAX_BATCH || (n >= MIN_BATCH && Date.now() >= deadline)) break;
    }
    this.#armDrain();
    this.#armBackoff();
    return n;
  }

  scheduleOne(key: string): void {
    const entry = this.#ctx.store.getByKey(key);
    if (!entry || !awaitsScheduling(entry.object)) {
      this.queue.done(key);
      return;
    }
    const pod = podInfo(key, entry.object);
    if (this.cache.nodes().length === 0) {
      // No node at all: park silently until one joins, so a cluster without nodes writes nothing.
      this.queue.markUnschedulable(key, pod.priority, pod.created, new Set(), this.#ctx.now());
      return;
    }
    try {
      const attempt = this.framework.schedule(pod);
      if (attempt.node) {
        this.#binding = pod;
        this.#actions.bind(pod, attempt.node.name);
        this.queue.done(key);
        return;
      }
      const result = preempt(this.framework, pod, attempt.statuses);
      const message = fitErrorMessage(
        attempt.numAllNodes,
        attempt.statuses.values(),
        result.message,
        attempt.preFilterMsg,
      );
      this.queue.markUnschedulable(key, pod.priority, pod.created, attempt.rejectedBy, this.#ctx.now());
      this.#ctx.store.transaction(() => {
        if (result.candidate) this.#actions.preempt(pod, result.candidate);
        this.#actions.unschedulable(pod, message, result.candidate?.nodeName);
      });
    } catch (err) {
      // A conflict (the pod changed or went) or a bug: try again later, never crash the object.
      console.error(`scheduler: ${key}: ${(err as Error).message}`);
      this.queue.markUnschedulable(key, pod.priority, pod.created, new Set(), this.#ctx.now());
    } finally {
      this.#binding = undefined;
    }
  }
}
