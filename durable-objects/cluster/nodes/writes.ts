// What a sync writes (heartbeats go to nodes/lease-table.ts, no revision bump): the Node's status on
// transitions, pod statuses through the status path (a node reaches only pods bound to it), kubelet
// events, and the end of graceful deletions the agent has finished.
import type { AgentEvent, AgentNodeStatus, PodStatusUpdate } from "../../../kube/agent-protocol.ts";
import type { Pod, PodStatus } from "../../../kube/pod-types.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { deleteObject } from "../writes/delete.ts";
import { SYSTEM_WRITE, type WriteOptions } from "../writes/options.ts";
import { updateObject } from "../writes/update.ts";
import { ANN_VOLUME_DIR } from "../controllers/pv-binding-plan.ts";
import { nodeStatusChanged, nodeStatusToStore, unknownConditions } from "./node-status.ts";
import { mergePodStatus } from "./pod-sync.ts";

export const KUBELET_WRITE: WriteOptions = { ...SYSTEM_WRITE, fieldManager: "kubelet" };

const kind = (ctx: ApiContext, resource: string) => ctx.kinds.byResource(resource)!;

/** Writes the Node's status when it transitioned or its facts changed; true when written. */
export function writeNodeStatus(ctx: ApiContext, nodeName: string, status: AgentNodeStatus): boolean {
  const node = ctx.store.get("nodes", undefined, nodeName)?.object;
  if (!node || !nodeStatusChanged(node.status, status)) return false;
  const next = { ...structuredClone(node), status: nodeStatusToStore(node.status, status, timestamp(ctx.now())) };
  updateObject(ctx, kind(ctx, "nodes"), { name: nodeName, subresource: "status" }, next, KUBELET_WRITE);
  return true;
}

/** Keeps the node's reported volume dir (an absolute path) on its Node, as join does; true when written. */
export function writeVolumeDir(ctx: ApiContext, nodeName: string, dir: string): boolean {
  const node = ctx.store.get("nodes", undefined, nodeName)?.object;
  if (!node || !dir.startsWith("/") || node.metadata.annotations?.[ANN_VOLUME_DIR] === dir) return false;
  const next = structuredClone(node);
  next.metadata.annotations = { ...next.metadata.annotations, [ANN_VOLUME_DIR]: dir };
  updateObject(ctx, kind(ctx, "nodes"), { name: nodeName }, next, KUBELET_WRITE);
  return true;
}

/** Turns a silent node's conditions Unknown (upstream's node lifecycle controller); true when written. */
export function markNodeUnknown(ctx: ApiContext, nodeName: string): boolean {
  const node = ctx.store.get("nodes", undefined, nodeName)?.object;
  if (!node) return false;
  const conditions = unknownConditions(node.status?.conditions, timestamp(ctx.now()));
  if (JSON.stringify(conditions) === JSON.stringify(node.status?.conditions ?? [])) return false;
  const next = { ...structuredClone(node), status: { ...node.status, conditions } };
  updateObject(ctx, kind(ctx, "nodes"), { name: nodeName, subresource: "status" }, next, {
    ...SYSTEM_WRITE,
    fieldManager: "node-controller",
  });
  return true;
}

/** The pod an update names, when it is bound to this node and still the same pod (uid). */
function ownPod(
  ctx: ApiContext,
  nodeName: string,
  update: { uid: string; namespace: string; name: string },
): KubeObject | undefined {
  const pod = ctx.store.get("pods", update.namespace, update.name)?.object;
  if (!pod || pod.metadata.uid !== update.uid || pod.spec?.nodeName !== nodeName) return undefined;
  return pod;
}

/** Writes pod statuses from the agent; returns uid → the resourceVersion each write produced. */
export function writePodStatuses(
  ctx: ApiContext,
  nodeName: string,
  updates: PodStatusUpdate[],
): Record<string, string> {
  const acknowledged: Record<string, string> = {};
  for (const update of updates) {
    const pod = ownPod(ctx, nodeName, update);
    if (!pod) continue;
    try {
      const next = { ...structuredClone(pod), status: mergePodStatus(pod.status as Partial<PodStatus>, update.status) };
      const written = updateObject(
        ctx,
        kind(ctx, "pods"),
        { namespace: update.namespace, name: update.name, subresource: "status" },
        next,
        KUBELET_WRITE,
      );
      acknowledged[update.uid] = written.metadata.resourceVersion ?? "";
    } catch {
      // An invalid status from one agent must not stop the others' writes; the agent resends on change.
    }
  }
  return acknowledged;
}

/** Removes pods whose deletion the agent finished (their containers are gone). */
export function finishDeletions(ctx: ApiContext, nodeName: string, uids: string[]): void {
  const podsKind = kind(ctx, "pods");
  for (const uid of uids) {
    const key = ctx.store.uids.keys(uid).find((k) => k.startsWith("pods/"));
    const pod = key ? ctx.store.getByKey(key)?.object : undefined;
    if (!pod || pod.spec?.nodeName !== nodeName || !pod.metadata.deletionTimestamp) continue;
    try {
      deleteObject(ctx, podsKind, pod.metadata.namespace, pod.metadata.name!, {
        ...KUBELET_WRITE,
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    } catch {
      // Already gone or replaced by a pod of the same name: nothing to finish.
    }
  }
}

/**
 * Kubelet events in core/v1 form (source.component kubelet, source.host the node); repeats raise count.
 * A node speaks only of its own pods (uid, namespace and name of a pod bound to it): upstream's node
 * authorizer lets a kubelet create events about anything, but a node credential here reaches nothing
 * beyond its node. An event about anything else is dropped and counted, the rest of the sync goes on
 * (upstream's kubelet posts each event on its own, and drops one the server refuses without retrying).
 */
export class KubeletEvents {
  #names = new Map<string, string>();
  constructor(private readonly ctx: ApiContext) {}

  /** Records the node's events; returns how many were refused as not about its own pods. */
  record(nodeName: string, events: AgentEvent[]): number {
    let refused = 0;
    for (const e of events) {
      if (!ownPod(this.ctx, nodeName, { uid: e.podUID, namespace: e.namespace, name: e.podName })) {
        refused++;
        continue;
      }
      const id = [e.podUID, e.reason, e.message, e.fieldPath ?? ""].join("\u0000");
      const existing = this.#names.get(id);
      const stored = existing ? this.ctx.store.get("events", e.namespace, existing)?.object : undefined;
      try {
        if (stored) this.#update(stored, e);
        else this.#create(id, nodeName, e);
      } catch {
        // A namespace being deleted refuses new events; the agent goes on.
      }
    }
    if (this.#names.size > 10_000) this.#names.clear();
    return refused;
  }

  #create(id: string, nodeName: string, e: AgentEvent): void {
    const name = `${e.podName}.${(BigInt(Date.parse(e.firstTimestamp) || this.ctx.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`;
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: e.namespace },
      involvedObject: {
        kind: "Pod",
        apiVersion: "v1",
        namespace: e.namespace,
        name: e.podName,
        uid: e.podUID,
        ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
      },
      reason: e.reason,
      message: e.message,
      type: e.type,
      source: { component: "kubelet", host: nodeName },
      firstTimestamp: e.firstTimestamp,
      lastTimestamp: e.lastTimestamp,
      count: e.count,
      reportingComponent: "kubelet",
      reportingInstance: nodeName,
    } as unknown as KubeObject;
    createObject(this.ctx, kind(this.ctx, "events"), e.namespace, event, KUBELET_WRITE);
    this.#names.set(id, name);
  }

  #update(stored: KubeObject, e: AgentEvent): void {
    const next = { ...structuredClone(stored), count: e.count, lastTimestamp: e.lastTimestamp } as KubeObject;
    updateObject(
      this.ctx,
      kind(this.ctx, "events"),
      { namespace: e.namespace, name: stored.metadata.name! },
      next,
      KUBELET_WRITE,
    );
  }
}

export type { Pod };
