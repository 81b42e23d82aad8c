// The DaemonSet controller (upstream pkg/controller/daemon): one pod on every node the set
// belongs on, each pinned to its node by a required node affinity the scheduler honours;
// pods leave nodes that no longer fit; template changes roll out node by node (RollingUpdate
// with maxUnavailable or maxSurge) or wait for pods to be deleted (OnDelete); each template is
// kept as a ControllerRevision for `kubectl rollout history|undo`.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { objectKey } from "../store/keys.ts";
import { claim } from "./claim.ts";
import {
  claimRevisions,
  ensureRevision,
  pruneRevisions,
  REVISION_HASH_LABEL,
  REVISIONS,
  revisionData,
  revisionNumber,
} from "./controller-revisions.ts";
import { nodeShouldRunDaemonPod, pinToNode, targetNode, withDaemonTolerations } from "./daemonset-nodes.ts";
import {
  daemonCounts,
  type NodeInfo,
  type PodChanges,
  planNodes,
  planRollingUpdate,
  rollingLimits,
  type UpdateContext,
} from "./daemonset-plan.ts";
import { templateHash } from "./deployment-revisions.ts";
import { controllerRef } from "./pods.ts";
import { availabilityRequeue, dependentKeys, podFromTemplate, safeSelector } from "./replicaset.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const DAEMONSET_CONTROLLER = "daemonset-controller";
export const DS = "daemonsets.apps";
/** apps/v1 keeps the old spec.templateGeneration in this annotation. */
export const TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";
export const TEMPLATE_GENERATION_LABEL = "pod-template-generation";

const terminal = (p: KubeObject) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

/** Daemon pods by the node they are for. */
export function podsByNode(pods: readonly KubeObject[]): Map<string, KubeObject[]> {
  const out = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const node = targetNode(p);
    if (!node) continue;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  return out;
}

/** The state of one sync: the set, its current revision and how to tell updated pods. */
interface Sync {
  ds: KubeObject;
  hash: string;
  generation: string;
  ctx: UpdateContext;
}

export class DaemonSetController implements Controller {
  readonly name = DAEMONSET_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, DAEMONSET_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    if (resource === DS) return [key];
    if (resource === "pods") return dependentKeys(this.#w.ctx, DS, "DaemonSet", change);
    // A node joining, leaving or changing labels, taints or readiness concerns every set.
    if (resource === "nodes") return this.initialKeys();
    if (resource === REVISIONS) {
      const ref = controllerRef(object);
      return ref?.kind === "DaemonSet" ? [objectKey(DS, object.metadata.namespace, ref.name)] : [];
    }
    return [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(DS).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const ds = this.#w.entry(key)?.object;
    if (!ds || ds.metadata.deletionTimestamp) return undefined;
    const selector = safeSelector(ds);
    if (!selector || selector.length === 0) return undefined; // validation forbids it; nothing to select
    const { revision, revisions, collisionCount } = this.#history(ds);
    const sync: Sync = {
      ds,
      hash: revision.metadata.labels?.[REVISION_HASH_LABEL] ?? "",
      generation: ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? String(revisionNumber(revision)),
      ctx: {
        isUpdated: (p) => this.#isUpdated(sync, p),
        minReadySeconds: Number(ds.spec?.minReadySeconds ?? 0),
        now: this.#w.ctx.now(),
      },
    };
    const nodes = this.#nodes(ds);
    const strategy = ds.spec?.updateStrategy ?? {};
    const surge = strategy.type === "RollingUpdate" ? strategy.rollingUpdate?.maxSurge : 0;
    const limits = rollingLimits(surge, strategy.rollingUpdate?.maxUnavailable ?? 1, this.#desired(nodes));
    this.#apply(sync, planNodes(nodes, podsByNode(this.#pods(ds)), limits.maxSurge > 0, sync.ctx));
    if (strategy.type !== "OnDelete")
      this.#apply(sync, planRollingUpdate(podsByNode(this.#pods(ds)), limits, sync.ctx));
    const pods = this.#pods(ds);
    this.#cleanupHistory(ds, revision, revisions, pods);
    this.#writeStatus(sync, nodes, pods, collisionCount);
    return availabilityRequeue(pods, sync.ctx.minReadySeconds, sync.ctx.now);
  }

  /** The set's pods, except finished ones already being deleted. */
  #pods(ds: KubeObject): KubeObject[] {
    const filter = (p: KubeObject) => !(terminal(p) && p.metadata.deletionTimestamp);
    return claim(this.#w, ds, safeSelector(ds), { resource: "pods", filter });
  }

  #nodes(ds: KubeObject): NodeInfo[] {
    const spec = ds.spec?.template?.spec;
    return this.#w.ctx.store
      .list("nodes")
      .map((e) => ({ name: e.object.metadata.name!, fit: nodeShouldRunDaemonPod(e.object, spec) }));
  }

  #desired(nodes: readonly NodeInfo[]): number {
    return nodes.filter((n) => n.fit.shouldRun).length;
  }

  /** IsPodUpdated: the current revision's hash, or the current template generation. */
  #isUpdated(sync: Sync, pod: KubeObject): boolean {
    const labels = pod.metadata.labels ?? {};
    return (
      (sync.hash !== "" && labels[REVISION_HASH_LABEL] === sync.hash) ||
      labels[TEMPLATE_GENERATION_LABEL] === sync.generation
    );
  }

  /** constructHistory + snapshot: the revision of the current template. */
  #history(ds: KubeObject) {
    const template = ds.spec?.template;
    const ensured = ensureRevision(
      this.#w,
      ds,
      claimRevisions(this.#w, ds),
      {
        data: revisionData(template),
        labels: template?.metadata?.labels,
        annotations: ds.metadata.annotations,
        hashLabel: REVISION_HASH_LABEL,
        hash: (collisions) => templateHash(template, collisions || undefined),
      },
      Number(ds.status?.collisionCount ?? 0),
    );
    return ensured;
  }

  #apply(sync: Sync, changes: PodChanges): void {
    const { ds } = sync;
    for (const pod of changes.failed) {
      const message = `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${targetNode(pod)}, will try to kill it`;
      this.#w.events.record(ds, { type: "Warning", reason: "FailedDaemonPod", message });
    }
    for (const pod of changes.remove) {
      this.#w.delete("pods", pod);
      this.#w.events.record(ds, {
        type: "Normal",
        reason: "SuccessfulDelete",
        message: `Deleted pod: ${pod.metadata.name}`,
      });
    }
    for (const node of changes.createOn) this.#create(sync, node);
  }

  #create(sync: Sync, node: string): void {
    const { ds } = sync;
    const pod = podFromTemplate(ds, ds.spec?.template);
    pod.metadata.labels = {
      ...pod.metadata.labels,
      [TEMPLATE_GENERATION_LABEL]: sync.generation,
      [REVISION_HASH_LABEL]: sync.hash,
    };
    pod.spec.affinity = pinToNode(pod.spec.affinity, node);
    pod.spec.tolerations = withDaemonTolerations(pod.spec);
    let made: KubeObject;
    try {
      made = this.#w.create("pods", pod);
    } catch (e) {
      const message = `Error creating: ${(e as Error).message}`;
      this.#w.events.record(ds, { type: "Warning", reason: "FailedCreate", message });
      throw e;
    }
    this.#w.events.record(ds, {
      type: "Normal",
      reason: "SuccessfulCreate",
      message: `Created pod: ${made.metadata.name}`,
    });
  }

  /** cleanupHistory: old revisions past revisionHistoryLimit, oldest first, unless a pod still uses them. */
  #cleanupHistory(ds: KubeObject, current: KubeObject, revisions: KubeObject[], pods: KubeObject[]): void {
    const old = revisions.filter((r) => r.metadata.name !== current.metadata.name);
    const excess = old.length - Number(ds.spec?.revisionHistoryLimit ?? 10);
    if (excess <= 0) return;
    const live = new Set(pods.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]).filter(Boolean));
    pruneRevisions(this.#w, old, excess, (r) => live.has(r.metadata.labels?.[REVISION_HASH_LABEL]));
  }

  #writeStatus(sync: Sync, nodes: NodeInfo[], pods: KubeObject[], collisionCount: number): void {
    const counts = daemonCounts(nodes, podsByNode(pods), sync.ctx);
    const fresh = this.#w.entry(objectKey(DS, sync.ds.metadata.namespace, sync.ds.metadata.name!))?.object ?? sync.ds;
    this.#w.updateStatus(DS, fresh, daemonSetStatus(fresh, counts, collisionCount));
  }
}

/** The status as upstream serializes it: the first four counts always, the rest when non-zero. */
export function daemonSetStatus(ds: KubeObject, c: ReturnType<typeof daemonCounts>, collisionCount: number) {
  const status: Record<string, unknown> = {
    currentNumberScheduled: c.currentNumberScheduled,
    numberMisscheduled: c.numberMisscheduled,
    desiredNumberScheduled: c.desiredNumberScheduled,
    numberReady: c.numberReady,
    observedGeneration: ds.metadata.generation ?? 1,
  };
  for (const k of ["updatedNumberScheduled", "numberAvailable", "numberUnavailable"] as const)
    if (c[k]) status[k] = c[k];
  if (collisionCount > 0 || ds.status?.collisionCount !== undefined) status.collisionCount = collisionCount;
  if (ds.status?.conditions?.length) status.conditions = ds.status.conditions;
  return status;
}
