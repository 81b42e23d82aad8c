// The disruption controller (upstream pkg/controller/disruption): each PodDisruptionBudget's
// status from the pods its selector matches (an empty selector matches every pod of the
// namespace in policy/v1, a missing one none): expected pods from their controllers' replicas (or
// the pod count for an integer minAvailable), healthy pods, desired healthy, the disruptions
// allowed, the disrupted pods the eviction API recorded, observedGeneration and the
// DisruptionAllowed condition. The math is in disruption-math.ts.
import type { KubeObject } from "../../../kube/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { selectorMatches } from "../registry/workload-validation.ts";
import type { Change } from "../store/object-store.ts";
import {
  allowedCondition,
  currentHealthy,
  disruptedPods,
  disruptionsAllowed,
  expectedPodCount,
  type PodFacts,
} from "./disruption-math.ts";
import { controllerRef, isPodReady } from "./pods.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const DISRUPTION_CONTROLLER = "disruption-controller";
export const PDB = "poddisruptionbudgets.policy";

/** Controllers whose spec.replicas is the expected scale (upstream's finders). */
const SCALED: Record<string, string> = {
  ReplicaSet: "replicasets.apps",
  ReplicationController: "replicationcontrollers",
  Deployment: "deployments.apps",
  StatefulSet: "statefulsets.apps",
};
const WAKING = new Set(["pods", ...Object.values(SCALED)]);

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** The pods a budget covers (policy/v1: an empty selector selects all, a missing one none). */
export function budgetPods(ctx: ApiContext, pdb: KubeObject): KubeObject[] {
  const sel = pdb.spec?.selector;
  if (!sel) return [];
  return ctx.store
    .list("pods", pdb.metadata.namespace)
    .map((e) => e.object)
    .filter((p) => selectorMatches(sel, p.metadata.labels) === true);
}

export class DisruptionController implements Controller {
  readonly name = DISRUPTION_CONTROLLER;
  readonly #w: Writer;

  constructor(private readonly ctx: ApiContext) {
    this.#w = new Writer(ctx, DISRUPTION_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, object } = change.entry;
    if (resource === PDB) return change.type === "DELETED" ? [] : [keyOf(object)];
    if (!WAKING.has(resource)) return [];
    return this.ctx.store.list(PDB, object.metadata.namespace).map((e) => keyOf(e.object));
  }

  initialKeys(): string[] {
    return this.ctx.store.list(PDB).map((e) => keyOf(e.object));
  }

  reconcile(key: string): ReconcileResult | undefined {
    const [namespace, name] = key.split("/");
    const pdb = this.ctx.store.get(PDB, namespace, name)?.object;
    if (!pdb || pdb.metadata.deletionTimestamp) return undefined;
    const now = this.ctx.now();
    const pods = budgetPods(this.ctx, pdb);
    if (pods.length === 0) this.#event(pdb, "Normal", "NoPods", "No matching pods found");
    let facts: PodFacts[];
    try {
      facts = pods.map((p) => this.#facts(p));
    } catch (err) {
      this.#failSafe(pdb, (err as Error).message);
      return undefined;
    }
    const expected = expectedPodCount(pdb.spec ?? {}, facts, (uid) => this.#scaleOf(namespace, uid));
    if (expected.unmanaged.length > 0)
      this.#event(
        pdb,
        "Warning",
        "UnmanagedPods",
        `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    const disrupted = disruptedPods(facts, pdb.status?.disruptedPods, now);
    for (const pod of disrupted.overdue)
      this.#event(pdb, "Warning", "NotDeleted", `Pod ${namespace}/${pod} was expected to be deleted but it wasn't`);
    const healthy = currentHealthy(facts, disrupted.kept);
    const allowed = disruptionsAllowed(healthy, expected.desiredHealthy, expected.expectedCount);
    const generation = pdb.metadata.generation ?? 0;
    const status: Record<string, unknown> = {
      ...(Object.keys(disrupted.kept).length ? { disruptedPods: disrupted.kept } : {}),
      disruptionsAllowed: allowed,
      currentHealthy: healthy,
      desiredHealthy: expected.desiredHealthy,
      expectedPods: expected.expectedCount,
      observedGeneration: generation,
      conditions: allowedCondition(pdb.status?.conditions, allowed, timestamp(now), generation),
    };
    this.#w.updateStatus(PDB, pdb, status);
    return disrupted.recheckAt === undefined ? undefined : { requeueAfterMs: disrupted.recheckAt - now + 1 };
  }

  /** A pod's facts; its controller is followed from a ReplicaSet to the Deployment owning it. */
  #facts(pod: KubeObject): PodFacts {
    const ref = controllerRef(pod);
    const base = { name: pod.metadata.name!, ready: isPodReady(pod), deleting: !!pod.metadata.deletionTimestamp };
    if (!ref) return base;
    const resource = SCALED[ref.kind];
    const owner = resource ? this.ctx.store.get(resource, pod.metadata.namespace, ref.name)?.object : undefined;
    if (!owner || owner.metadata.uid !== ref.uid)
      throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    const up = ref.kind === "ReplicaSet" ? controllerRef(owner) : undefined;
    if (up?.kind !== "Deployment") return { ...base, controllerUid: ref.uid };
    const deployment = this.ctx.store.get(SCALED.Deployment, pod.metadata.namespace, up.name)?.object;
    if (deployment?.metadata.uid !== up.uid) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    return { ...base, controllerUid: up.uid };
  }

  #scaleOf(namespace: string, uid: string): number {
    for (const key of this.ctx.store.uids.keys(uid)) {
      const obj = this.ctx.store.getByKey(key)?.object;
      if (obj && obj.metadata.namespace === namespace) return Number(obj.spec?.replicas ?? 0);
    }
    return 0;
  }

  /** failSafe: no disruptions while the budget cannot be computed. */
  #failSafe(pdb: KubeObject, message: string): void {
    const generation = pdb.metadata.generation ?? 0;
    const status = {
      ...pdb.status,
      disruptionsAllowed: 0,
      conditions: allowedCondition(pdb.status?.conditions, 0, timestamp(this.ctx.now()), generation, message),
    };
    this.#w.updateStatus(PDB, pdb, status);
  }

  /** Events only on a status change would be quieter; upstream records these on every sync too. */
  #event(pdb: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void {
    try {
      this.#w.events.record(pdb, { type, reason, message });
    } catch {
      // A namespace being deleted refuses events; the status still matters.
    }
  }
}
