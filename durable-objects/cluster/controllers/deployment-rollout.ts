// One sync of one deployment over the ReplicaSets it owns: finding or creating the new set
// (revisions, annotations), the RollingUpdate and Recreate steps, proportional scaling,
// history cleanup and the status write. A fresh instance per reconcile.
import { StatusError } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { maxSurge, newSetReplicas, type SetSize, scaleDownOld, scaleProportionally } from "./deployment-math.ts";
import {
  byCreation,
  createdMs,
  DESIRED_REPLICAS,
  equalIgnoringHash,
  findNewSet,
  HASH_LABEL,
  MAX_REPLICAS,
  maxRevision,
  REVISION,
  revisionOf,
  setNewSetAnnotations,
  setReplicasAnnotations,
  templateHash,
} from "./deployment-revisions.ts";
import {
  calculateStatus,
  getCondition,
  hasProgressDeadline,
  isComplete,
  newCondition,
  PROGRESSING,
  rolloutSpec,
  setCondition,
  stuckRequeue,
  updateProgress,
} from "./deployment-status.ts";
import { controllerRef, newControllerRef } from "./pods.ts";
import type { ReconcileResult } from "./types.ts";
import type { Writer } from "./writes.ts";

const DEPLOY = "deployments.apps";
const RS = "replicasets.apps";

const replicasOf = (rs: KubeObject) => Number(rs.spec?.replicas ?? 0);

function sizeOf(rs: KubeObject): SetSize {
  const max = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
  return {
    name: rs.metadata.name!,
    replicas: replicasOf(rs),
    available: Number(rs.status?.availableReplicas ?? 0),
    created: createdMs(rs),
    maxReplicas: Number.isInteger(max) ? max : undefined,
  };
}

export class DeploymentRollout {
  deployment: KubeObject;
  #w: Writer;
  #sets: KubeObject[];

  constructor(writer: Writer, deployment: KubeObject, sets: KubeObject[]) {
    this.#w = writer;
    this.deployment = deployment;
    this.#sets = sets;
  }

  get #spec() {
    return rolloutSpec(this.deployment);
  }

  #now(): number {
    return this.#w.ctx.now();
  }

  #fresh(rs: KubeObject): KubeObject {
    return this.#w.ctx.store.get(RS, rs.metadata.namespace, rs.metadata.name!)?.object ?? rs;
  }

  // --- the strategies -------------------------------------------------------------------

  rolling(): ReconcileResult | undefined {
    const { next, old } = this.#getAll(true);
    const spec = this.#spec;
    const all = [...old, next!];
    const current = replicasOf(next!);
    if (current !== spec.replicas) {
      const target = current > spec.replicas ? spec.replicas : newSetReplicas(spec, all.map(sizeOf), current);
      if (target !== current) {
        this.#scale(next!, target);
        return this.#syncRolloutStatus(all, next);
      }
    }
    const active = old.filter((rs) => replicasOf(rs) > 0);
    const sizes = scaleDownOld(spec, active.map(sizeOf), sizeOf(next!));
    let scaledDown = false;
    for (const rs of active) {
      const size = sizes.get(rs.metadata.name!)!;
      if (size !== replicasOf(rs)) scaledDown = this.#scale(rs, size) || scaledDown;
    }
    if (scaledDown) return this.#syncRolloutStatus(all, next);
    if (isComplete(this.deployment, this.deployment.status ?? {})) this.#cleanup(old);
    return this.#syncRolloutStatus(all, next);
  }

  recreate(): ReconcileResult | undefined {
    let { next, old } = this.#getAll(false);
    let scaledDown = false;
    for (const rs of old) if (replicasOf(rs) > 0) scaledDown = this.#scale(rs, 0) || scaledDown;
    const all = () => (next ? [...old, next] : old);
    if (scaledDown || this.#oldPodsRunning(next, old)) return this.#syncRolloutStatus(all(), next);
    if (!next) ({ next, old } = this.#getAll(true));
    if (replicasOf(next!) !== this.#spec.replicas) this.#scale(next!, this.#spec.replicas);
    if (isComplete(this.deployment, this.deployment.status ?? {})) this.#cleanup(old);
    return this.#syncRolloutStatus(all(), next);
  }

  /** Paused deployments and resizes: scale only, no rollout step. */
  sync(): ReconcileResult | undefined {
    const { next, old } = this.#getAll(false);
    this.#scaleAll(next, old);
    if (this.deployment.spec?.paused) this.#cleanup(old);
    const all = next ? [...old, next] : old;
    const status = calculateStatus(
      this.deployment,
      all.map((rs) => this.#fresh(rs)),
      next && this.#fresh(next),
      this.#now(),
    );
    this.deployment = this.#w.updateStatus(DEPLOY, this.deployment, status);
    return undefined;
  }

  syncStatusOnly(): ReconcileResult | undefined {
    const next = findNewSet(this.deployment, this.#sets);
    const status = calculateStatus(this.deployment, this.#sets, next, this.#now());
    this.#w.updateStatus(DEPLOY, this.deployment, status);
    return undefined;
  }

  /** isScalingEvent: an active set was last sized for another replica count. */
  isScalingEvent(): boolean {
    const { next, old } = this.#getAll(false);
    const active = [...old, ...(next ? [next] : [])].filter((rs) => replicasOf(rs) > 0);
    return active.some((rs) => {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      return desired !== undefined && Number(desired) !== this.#spec.replicas;
    });
  }

  // --- the new set and revisions --------------------------------------------------------

  #getAll(create: boolean): { next: KubeObject | undefined; old: KubeObject[] } {
    const found = findNewSet(this.deployment, this.#sets);
    const old = this.#sets.filter((rs) => rs !== found);
    let next = found && this.#syncExistingNew(found, old);
    if (!next && create) next = this.#createNew(old);
    if (next) this.#sets = [...old, next];
    return { next, old };
  }

  #syncExistingNew(rs: KubeObject, old: KubeObject[]): KubeObject {
    const copy = structuredClone(rs);
    let changed = setNewSetAnnotations(this.deployment, copy, maxRevision(old) + 1);
    const minReady = this.deployment.spec?.minReadySeconds ?? 0;
    if ((copy.spec.minReadySeconds ?? 0) !== minReady) {
      copy.spec.minReadySeconds = minReady;
      changed = true;
    }
    const updated = changed ? this.#w.update(RS, rs, copy) : rs;
    this.#setRevision(updated.metadata.annotations?.[REVISION]);
    if (hasProgressDeadline(this.deployment) && !getCondition(this.deployment.status, PROGRESSING))
      this.#setProgressing("FoundNewReplicaSet", `Found new replica set "${updated.metadata.name}"`);
    return updated;
  }

  #createNew(old: KubeObject[]): KubeObject {
    const d = this.deployment;
    const spec = this.#spec;
    const hash = templateHash(d.spec.template, d.status?.collisionCount);
    const template = structuredClone(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec.selector);
    selector.matchLabels = { ...selector.matchLabels, [HASH_LABEL]: hash };
    const rs: KubeObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [newControllerRef(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newSetReplicas(spec, [...old.map(sizeOf), sizeOf(rs)], 0);
    rs.spec.replicas = replicas;
    const revision = maxRevision(old) + 1;
    setNewSetAnnotations(d, rs, revision);
    setReplicasAnnotations(rs, spec.replicas, spec.replicas + maxSurge(spec));
    let created: KubeObject;
    try {
      created = this.#w.create(RS, rs);
    } catch (e) {
      return this.#onCreateConflict(e, rs);
    }
    if (replicas > 0) this.#scaledEvent(created, "up", 0, replicas);
    this.#setRevision(String(revision));
    if (hasProgressDeadline(d))
      this.#setProgressing("NewReplicaSetCreated", `Created new replica set "${created.metadata.name}"`);
    return created;
  }

  /** A set of that name exists: ours with this template is the new set; otherwise a hash collision. */
  #onCreateConflict(error: unknown, rs: KubeObject): KubeObject {
    if (!(error instanceof StatusError) || error.reason !== "AlreadyExists") throw error;
    const existing = this.#w.ctx.store.get(RS, rs.metadata.namespace, rs.metadata.name!)?.object;
    const d = this.deployment;
    if (
      existing &&
      controllerRef(existing)?.uid === d.metadata.uid &&
      equalIgnoringHash(existing.spec?.template, d.spec.template)
    )
      return existing;
    const status = structuredClone(d.status ?? {});
    status.collisionCount = (status.collisionCount ?? 0) + 1;
    this.deployment = this.#w.updateStatus(DEPLOY, d, status);
    throw error;
  }

  #setRevision(revision: string | undefined): void {
    const d = this.deployment;
    if (revision === undefined || d.metadata.annotations?.[REVISION] === revision) return;
    const next = structuredClone(d);
    next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: revision };
    this.deployment = this.#w.update(DEPLOY, d, next);
  }

  #setProgressing(reason: string, message: string): void {
    const status = structuredClone(this.deployment.status ?? {});
    setCondition(status, newCondition(PROGRESSING, "True", reason, message, this.#now()));
    this.deployment = this.#w.updateStatus(DEPLOY, this.deployment, status);
  }

  // --- scaling --------------------------------------------------------------------------

  /** scaleReplicaSetAndRecordEvent; true when the size changed. */
  #scale(rs: KubeObject, size: number): boolean {
    const current = this.#fresh(rs);
    const spec = this.#spec;
    const copy = structuredClone(current);
    const from = replicasOf(current);
    const annotated = setReplicasAnnotations(copy, spec.replicas, spec.replicas + maxSurge(spec));
    if (from === size && !annotated) return false;
    copy.spec.replicas = size;
    const updated = this.#w.update(RS, current, copy);
    this.#sets = this.#sets.map((s) => (s.metadata.uid === updated.metadata.uid ? updated : s));
    if (from !== size) this.#scaledEvent(updated, size > from ? "up" : "down", from, size);
    return from !== size;
  }

  #scaledEvent(rs: KubeObject, direction: "up" | "down", from: number, to: number): void {
    this.#w.events.record(this.deployment, {
      type: "Normal",
      reason: "ScalingReplicaSet",
      message: `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${to}`,
    });
  }

  /** upstream's scale(): the one active set takes it all, a saturated new set ends the old ones, else proportions. */
  #scaleAll(next: KubeObject | undefined, old: KubeObject[]): void {
    const spec = this.#spec;
    const only = activeOrLatest(next, old);
    if (only) {
      if (replicasOf(only) !== spec.replicas) this.#scale(only, spec.replicas);
      return;
    }
    if (next && this.#saturated(next)) {
      for (const rs of old) if (replicasOf(rs) > 0) this.#scale(rs, 0);
      return;
    }
    if (spec.strategy !== "RollingUpdate") return;
    const active = [...old, ...(next ? [next] : [])].filter((rs) => replicasOf(rs) > 0);
    const sizes = scaleProportionally(spec, active.map(sizeOf), Number(this.deployment.status?.replicas ?? 0));
    for (const rs of active) this.#scale(rs, sizes.get(rs.metadata.name!)!);
  }

  #saturated(rs: KubeObject): boolean {
    const replicas = this.#spec.replicas;
    return (
      Number(rs.metadata.annotations?.[DESIRED_REPLICAS]) === replicas &&
      replicasOf(rs) === replicas &&
      Number(rs.status?.availableReplicas ?? 0) === replicas
    );
  }

  #oldPodsRunning(next: KubeObject | undefined, old: KubeObject[]): boolean {
    if (old.some((rs) => Number(rs.status?.replicas ?? 0) > 0)) return true;
    const store = this.#w.ctx.store;
    for (const rs of old) {
      if (rs === next) continue;
      for (const key of store.owners.keys(rs.metadata.uid!)) {
        const pod = store.getByKey(key);
        if (pod?.resource !== "pods") continue;
        const phase = pod.object.status?.phase;
        if (phase !== "Succeeded" && phase !== "Failed") return true;
      }
    }
    return false;
  }

  // --- history and status ---------------------------------------------------------------

  /** cleanupDeployment: delete the oldest idle sets beyond revisionHistoryLimit. */
  #cleanup(old: KubeObject[]): void {
    const limit = this.deployment.spec?.revisionHistoryLimit;
    if (typeof limit !== "number") return;
    const alive = old.map((rs) => this.#fresh(rs)).filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = alive.length - limit;
    if (excess <= 0) return;
    alive.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of alive.slice(0, excess)) {
      const busy =
        Number(rs.status?.replicas ?? 0) !== 0 ||
        replicasOf(rs) !== 0 ||
        (rs.metadata.generation ?? 1) > Number(rs.status?.observedGeneration ?? 0);
      if (!busy) this.#w.delete(RS, rs);
    }
  }

  #syncRolloutStatus(all: KubeObject[], next: KubeObject | undefined): ReconcileResult | undefined {
    const now = this.#now();
    const d = this.deployment;
    const fresh = all.map((rs) => this.#fresh(rs));
    const status = calculateStatus(d, fresh, next && this.#fresh(next), now);
    updateProgress(d, status, next, now);
    this.deployment = this.#w.updateStatus(DEPLOY, d, status);
    const after = stuckRequeue(this.deployment, status, now);
    return after === undefined ? undefined : { requeueAfterMs: after };
  }
}

/** FindActiveOrLatest: the only set with replicas, or the newest when none has any. */
function activeOrLatest(next: KubeObject | undefined, old: KubeObject[]): KubeObject | undefined {
  if (!next && old.length === 0) return undefined;
  const newestFirst = [...old].sort((a, b) => byCreation(b, a));
  const active = [...newestFirst, ...(next ? [next] : [])].filter((rs) => replicasOf(rs) > 0);
  if (active.length === 0) return next ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}
