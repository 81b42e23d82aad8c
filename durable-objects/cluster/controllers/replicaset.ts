// The ReplicaSet controller (upstream pkg/controller/replicaset): keeps as many active pods
// as spec.replicas asks for, created from the template and owned through a controller
// reference; adopts matching orphans, releases pods that stopped matching, deletes the
// least valuable pods first, and reports replicas, readiness and availability in status.
// ReplicationControllers run through the same code, as upstream runs them through this
// controller with a conversion: only where the selector lives and the names differ.
import { type LabelRequirement, matchesLabels, requirementsFromLabelSelector } from "../../../kube/labels.ts";
import type { KubeObject, LabelSelector } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { objectKey } from "../store/keys.ts";
import { claim } from "./claim.ts";
import { podsToDelete } from "./pod-ranking.ts";
import { controllerRef, isPodActive, isPodReady, labelsContain, newControllerRef, untilAvailable } from "./pods.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const REPLICASET_CONTROLLER = "replicaset-controller";
/** Upstream's burstReplicas: pods created or deleted in one sync at most. */
const BURST = 500;

type SelectorOf = (obj: KubeObject) => LabelRequirement[] | null;

/** What differs between the kinds this controller manages. */
export interface ReplicatedKind {
  controller: string;
  resource: string;
  kind: string;
  selector: SelectorOf;
}

export const REPLICA_SETS: ReplicatedKind = {
  controller: REPLICASET_CONTROLLER,
  resource: "replicasets.apps",
  kind: "ReplicaSet",
  selector: safeSelector,
};

/** A ReplicationController's spec.selector is an equality map: upstream converts it to matchLabels. */
export const REPLICATION_CONTROLLERS: ReplicatedKind = {
  controller: "replication-controller",
  resource: "replicationcontrollers",
  kind: "ReplicationController",
  selector: (o) => (o.spec?.selector ? requirementsOrNull({ matchLabels: o.spec.selector }) : null),
};

/** The pods a set's selector matches among orphans, or its controller, for a pod change. */
export function ownerKeysOfPod(
  ctx: ApiContext,
  ownerResource: string,
  ownerKind: string,
  pod: KubeObject,
  selectorOf: SelectorOf = safeSelector,
): string[] {
  const ns = pod.metadata.namespace;
  const ref = controllerRef(pod);
  if (ref) return ref.kind === ownerKind ? [objectKey(ownerResource, ns, ref.name)] : [];
  if (pod.metadata.deletionTimestamp) return [];
  const keys: string[] = [];
  for (const e of ctx.store.list(ownerResource, ns)) {
    const reqs = selectorOf(e.object);
    if (reqs && reqs.length > 0 && matchesLabels(reqs, pod.metadata.labels)) keys.push(e.key);
  }
  return keys;
}

function requirementsOrNull(sel: LabelSelector | undefined): LabelRequirement[] | null {
  try {
    return requirementsFromLabelSelector(sel);
  } catch {
    return null;
  }
}

/** The requirements of spec.selector (a LabelSelector), or null when it cannot be converted. */
export function safeSelector(obj: KubeObject): LabelRequirement[] | null {
  return requirementsOrNull(obj.spec?.selector);
}

/** Keys of the owners a change of a dependent concerns: before and after the change. */
export function dependentKeys(
  ctx: ApiContext,
  ownerResource: string,
  ownerKind: string,
  change: Change,
  selectorOf: SelectorOf = safeSelector,
): string[] {
  const keys = new Set(ownerKeysOfPod(ctx, ownerResource, ownerKind, change.entry.object, selectorOf));
  if (change.previous)
    for (const k of ownerKeysOfPod(ctx, ownerResource, ownerKind, change.previous.object, selectorOf)) keys.add(k);
  return [...keys];
}

/** GetPodFromTemplate: the template's labels, annotations and spec under a controller reference. */
export function podFromTemplate(owner: KubeObject, template: KubeObject["spec"]): KubeObject {
  const meta = template?.metadata ?? {};
  const pod: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      ownerReferences: [newControllerRef(owner)],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  #w: Writer;
  #kind: ReplicatedKind;

  constructor(ctx: ApiContext, kind: ReplicatedKind = REPLICA_SETS) {
    this.name = kind.controller;
    this.#kind = kind;
    this.#w = new Writer(ctx, kind.controller);
  }

  keysFor(change: Change): string[] {
    const { resource, key } = change.entry;
    const k = this.#kind;
    if (resource === k.resource) return [key];
    if (resource === "pods") return dependentKeys(this.#w.ctx, k.resource, k.kind, change, k.selector);
    return [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(this.#kind.resource).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const entry = this.#w.entry(key);
    if (!entry) return undefined; // gone: its pods went with it (owner references)
    const rs = entry.object;
    let pods = claim(this.#w, rs, this.#kind.selector(rs), { resource: "pods", filter: isPodActive });
    let error: unknown;
    if (!rs.metadata.deletionTimestamp) {
      try {
        pods = this.#manage(rs, pods);
      } catch (e) {
        error = e;
      }
    }
    const now = this.#w.ctx.now();
    const minReady = Number(rs.spec?.minReadySeconds ?? 0);
    this.#w.updateStatus(this.#kind.resource, this.#w.entry(key)?.object ?? rs, replicaSetStatus(rs, pods, now));
    if (error) throw error;
    return availabilityRequeue(pods, minReady, now);
  }

  /** Creates or deletes pods to match spec.replicas; returns the active pods afterwards. */
  #manage(rs: KubeObject, pods: KubeObject[]): KubeObject[] {
    const diff = pods.length - Number(rs.spec?.replicas ?? 1);
    if (diff < 0) return [...pods, ...this.#createPods(rs, Math.min(-diff, BURST))];
    if (diff === 0) return pods;
    const doomed = new Set(podsToDelete(pods, Math.min(diff, BURST)));
    for (const pod of doomed) {
      this.#w.delete("pods", pod);
      this.#w.events.record(rs, {
        type: "Normal",
        reason: "SuccessfulDelete",
        message: `Deleted pod: ${pod.metadata.name}`,
      });
    }
    return pods.filter((p) => !doomed.has(p));
  }

  #createPods(rs: KubeObject, count: number): KubeObject[] {
    const created: KubeObject[] = [];
    for (let i = 0; i < count; i++) {
      let pod: KubeObject;
      try {
        pod = this.#w.create("pods", podFromTemplate(rs, rs.spec?.template));
      } catch (e) {
        const message = `Error creating: ${(e as Error).message}`;
        this.#w.events.record(rs, { type: "Warning", reason: "FailedCreate", message });
        throw e;
      }
      this.#w.events.record(rs, {
        type: "Normal",
        reason: "SuccessfulCreate",
        message: `Created pod: ${pod.metadata.name}`,
      });
      created.push(pod);
    }
    return created;
  }
}

/** calculateStatus: counts over the set's active pods; conditions are kept. */
export function replicaSetStatus(rs: KubeObject, pods: readonly KubeObject[], now: number) {
  const templateLabels = rs.spec?.template?.metadata?.labels;
  const minReady = Number(rs.spec?.minReadySeconds ?? 0);
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    if (labelsContain(p.metadata.labels, templateLabels)) fullyLabeled++;
    if (!isPodReady(p)) continue;
    ready++;
    if (untilAvailable(p, minReady, now) === 0) available++;
  }
  // Upstream omits zero counts (omitempty) except replicas.
  const status: Record<string, unknown> = { replicas: pods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = rs.metadata.generation ?? 1;
  if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
  return status;
}

/** Ready pods still inside minReadySeconds become available later: look again then. */
export function availabilityRequeue(pods: readonly KubeObject[], minReady: number, now: number) {
  if (minReady === 0) return undefined;
  let soonest: number | undefined;
  for (const p of pods) {
    const wait = untilAvailable(p, minReady, now);
    if (wait && (soonest === undefined || wait < soonest)) soonest = wait;
  }
  return soonest === undefined ? undefined : { requeueAfterMs: soonest + 1 };
}
