// The StatefulSet controller (upstream pkg/controller/statefulset): pods with stable names
// `<set>-<ordinal>`, hostnames and the governing service as subdomain, created in order
// (OrderedReady) or all at once (Parallel), replaced under the same name when they fail,
// scaled down from the highest ordinal, updated in reverse ordinal order down to the partition,
// with each template kept as a ControllerRevision. volumeClaimTemplates become claims
// `<template>-<pod>` made before the pod and kept across its replacements, owned as the
// persistentVolumeClaimRetentionPolicy says (statefulset-claims.ts).
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import type { Change } from "../store/object-store.ts";
import { objectKey } from "../store/keys.ts";
import { claim } from "./claim.ts";
import {
  claimRevisions,
  ensureRevision,
  HISTORY_HASH_LABEL,
  pruneRevisions,
  REVISIONS,
  revisionData,
} from "./controller-revisions.ts";
import { canonicalJson, templateHash } from "./deployment-revisions.ts";
import { controllerRef, isPodActive } from "./pods.ts";
import { availabilityRequeue, dependentKeys, podFromTemplate, safeSelector } from "./replicaset.ts";
import {
  type Action,
  ordinalOf,
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
  planStatefulSet,
  REVISION_LABEL,
} from "./statefulset-plan.ts";
import { retentionOwners, setClaims } from "./statefulset-claims.ts";
import { statefulSetStatus } from "./statefulset-status.ts";
import { PERSISTENT_VOLUME_CLAIMS } from "../registry/storage-common.ts";
import { jsonEqual } from "../../../kube/patch/json-values.ts";
import type { Controller, ReconcileResult } from "./types.ts";
import { Writer } from "./writes.ts";

export const STATEFULSET_CONTROLLER = "statefulset-controller";
export const STS = "statefulsets.apps";

/** The template a revision holds (its data without the replace directive). */
export function templateOf(rev: KubeObject): LooseObject {
  const t = structuredClone((rev as LooseObject).data?.spec?.template ?? {});
  delete t.$patch;
  return t;
}

interface Revisions {
  current: KubeObject;
  update: KubeObject;
  all: KubeObject[];
  collisionCount: number;
}

export class StatefulSetController implements Controller {
  readonly name = STATEFULSET_CONTROLLER;
  #w: Writer;

  constructor(ctx: ApiContext) {
    this.#w = new Writer(ctx, STATEFULSET_CONTROLLER);
  }

  keysFor(change: Change): string[] {
    const { resource, key, object } = change.entry;
    if (resource === STS) return [key];
    if (resource === "pods") return dependentKeys(this.#w.ctx, STS, "StatefulSet", change);
    if (resource === REVISIONS) {
      const ref = controllerRef(object);
      return ref?.kind === "StatefulSet" ? [objectKey(STS, object.metadata.namespace, ref.name)] : [];
    }
    return [];
  }

  initialKeys(): string[] {
    return this.#w.ctx.store.list(STS).map((e) => e.key);
  }

  reconcile(key: string): ReconcileResult | undefined {
    const set = this.#w.entry(key)?.object;
    if (!set) return undefined;
    const selector = safeSelector(set);
    if (!selector || selector.length === 0) return undefined; // validation forbids it
    const revs = this.#revisions(set);
    if (!set.metadata.deletionTimestamp) {
      const actions = planStatefulSet(this.#planInput(set, revs));
      for (const a of actions) this.#act(set, revs, a);
      this.#fixIdentities(set);
      this.#claimsOfPods(set);
    }
    const pods = this.#pods(set);
    this.#truncateHistory(set, revs, pods);
    const fresh = this.#w.entry(key)?.object ?? set;
    const status = statefulSetStatus(fresh, pods, {
      current: revs.current.metadata.name!,
      update: revs.update.metadata.name!,
      collisionCount: revs.collisionCount,
      now: this.#w.ctx.now(),
    });
    this.#w.updateStatus(STS, fresh, status);
    return availabilityRequeue(pods.filter(isPodActive), Number(set.spec?.minReadySeconds ?? 0), this.#w.ctx.now());
  }

  /** The set's pods: those its selector claims whose names make them members. */
  #pods(set: KubeObject): KubeObject[] {
    const filter = (p: KubeObject) => ordinalOf(set.metadata.name!, p) >= 0;
    return claim(this.#w, set, safeSelector(set), { resource: "pods", filter });
  }

  #planInput(set: KubeObject, revs: Revisions) {
    const strategy = set.spec?.updateStrategy ?? {};
    return {
      setName: set.metadata.name!,
      start: Number(set.spec?.ordinals?.start ?? 0),
      replicas: Number(set.spec?.replicas ?? 1),
      pods: this.#pods(set),
      monotonic: set.spec?.podManagementPolicy !== "Parallel",
      minReadySeconds: Number(set.spec?.minReadySeconds ?? 0),
      now: this.#w.ctx.now(),
      updateRevision: revs.update.metadata.name!,
      partition: strategy.type === "OnDelete" ? null : Number(strategy.rollingUpdate?.partition ?? 0),
    };
  }

  /** getStatefulSetRevisions: the update revision for the template, the current one from status. */
  #revisions(set: KubeObject): Revisions {
    const data = revisionData(set.spec?.template);
    const ensured = ensureRevision(
      this.#w,
      set,
      claimRevisions(this.#w, set),
      {
        data,
        labels: set.spec?.template?.metadata?.labels,
        hashLabel: HISTORY_HASH_LABEL,
        hash: (collisions) => templateHash(canonicalJson(data), collisions || undefined),
      },
      Number(set.status?.collisionCount ?? 0),
    );
    const named = set.status?.currentRevision;
    const current = ensured.revisions.find((r) => r.metadata.name === named) ?? ensured.revision;
    return { current, update: ensured.revision, all: ensured.revisions, collisionCount: ensured.collisionCount };
  }

  #act(set: KubeObject, revs: Revisions, a: Action): void {
    if (a.type === "create") {
      this.#create(set, revs, a.ordinal);
      return;
    }
    // A pod scaled away hands its claims to itself first when the policy deletes them with it.
    if (a.why === "scale") this.#retain(set, a.pod);
    this.#w.delete("pods", a.pod);
    const message = `delete Pod ${a.pod.metadata.name} in StatefulSet ${set.metadata.name} successful`;
    this.#w.events.record(set, { type: "Normal", reason: "SuccessfulDelete", message });
  }

  /** newVersionedStatefulSetPod: ordinals below the partition keep the current revision. */
  #create(set: KubeObject, revs: Revisions, ordinal: number): void {
    const strategy = set.spec?.updateStrategy ?? {};
    const start = Number(set.spec?.ordinals?.start ?? 0);
    const old =
      strategy.type === "RollingUpdate" &&
      ordinal < start + Number(strategy.rollingUpdate?.partition ?? set.status?.currentReplicas ?? 0);
    const rev = old ? revs.current : revs.update;
    const pod = statefulPod(set, templateOf(rev), ordinal);
    pod.metadata.labels = { ...pod.metadata.labels, [REVISION_LABEL]: rev.metadata.name! };
    const name = pod.metadata.name;
    let created: KubeObject;
    try {
      this.#createClaims(set, pod, ordinal);
      created = this.#w.create("pods", pod);
    } catch (e) {
      const message = `create Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`;
      this.#w.events.record(set, { type: "Warning", reason: "FailedCreate", message });
      throw e;
    }
    this.#retain(set, created);
    const message = `create Pod ${name} in StatefulSet ${set.metadata.name} successful`;
    this.#w.events.record(set, { type: "Normal", reason: "SuccessfulCreate", message });
  }

  /** createPersistentVolumeClaims: the pod's missing claims, each with its event. */
  #createClaims(set: KubeObject, pod: KubeObject, ordinal: number): void {
    for (const claim of setClaims(set, ordinal)) {
      if (this.#w.ctx.store.get(PERSISTENT_VOLUME_CLAIMS, claim.metadata.namespace, claim.metadata.name!)) continue;
      const what = `Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name}`;
      try {
        this.#w.create(PERSISTENT_VOLUME_CLAIMS, claim);
      } catch (e) {
        const message = `create ${what.replace(" Pod ", " for Pod ")} failed error: ${(e as Error).message}`;
        this.#w.events.record(set, { type: "Warning", reason: "FailedCreate", message });
        throw e;
      }
      this.#w.events.record(set, { type: "Normal", reason: "SuccessfulCreate", message: `create ${what} success` });
    }
  }

  /** Pods whose claims went missing get them again (a Pending pod waits for them); owners follow the policy. */
  #claimsOfPods(set: KubeObject): void {
    if (!set.spec?.volumeClaimTemplates?.length) return;
    for (const pod of this.#pods(set)) {
      if (pod.metadata.deletionTimestamp) continue;
      if (pod.status?.phase === "Pending" || !pod.status?.phase)
        this.#createClaims(set, pod, ordinalOf(set.metadata.name!, pod));
      this.#retain(set, pod);
    }
  }

  /** UpdatePodClaimForRetentionPolicy: the pod's claims owned as the retention policy says. */
  #retain(set: KubeObject, pod: KubeObject): void {
    const ordinal = ordinalOf(set.metadata.name!, pod);
    const start = Number(set.spec?.ordinals?.start ?? 0);
    const inRange = ordinal >= start && ordinal < start + Number(set.spec?.replicas ?? 1);
    for (const want of setClaims(set, ordinal)) {
      const claim = this.#w.ctx.store.get(
        PERSISTENT_VOLUME_CLAIMS,
        want.metadata.namespace,
        want.metadata.name!,
      )?.object;
      if (!claim || claim.metadata.deletionTimestamp) continue;
      const owners = retentionOwners(claim, set, pod, inRange);
      if (jsonEqual(owners, claim.metadata.ownerReferences ?? [])) continue;
      const next = structuredClone(claim);
      if (owners.length) next.metadata.ownerReferences = owners;
      else delete next.metadata.ownerReferences;
      this.#w.update(PERSISTENT_VOLUME_CLAIMS, claim, next);
    }
  }

  /** identityMatches / updateIdentity: the name and index labels a member must carry. */
  #fixIdentities(set: KubeObject): void {
    for (const pod of this.#pods(set)) {
      if (pod.metadata.deletionTimestamp) continue;
      const want = identityLabels(pod.metadata.name!, ordinalOf(set.metadata.name!, pod));
      const labels = pod.metadata.labels ?? {};
      if (Object.entries(want).every(([k, v]) => labels[k] === v)) continue;
      const next = structuredClone(pod);
      next.metadata.labels = { ...labels, ...want };
      this.#w.update("pods", pod, next);
    }
  }

  /** truncateHistory: keep live revisions and revisionHistoryLimit others. */
  #truncateHistory(set: KubeObject, revs: Revisions, pods: KubeObject[]): void {
    const live = new Set([revs.current.metadata.name, revs.update.metadata.name]);
    for (const p of pods) live.add(p.metadata.labels?.[REVISION_LABEL]);
    const history = revs.all.filter((r) => !live.has(r.metadata.name));
    const excess = history.length - Number(set.spec?.revisionHistoryLimit ?? 10);
    if (excess > 0) pruneRevisions(this.#w, history, excess, () => false);
  }
}

function identityLabels(name: string, ordinal: number): Record<string, string> {
  return { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** newStatefulSetPod: the template under the set's name and ordinal, with its identity and claims. */
export function statefulPod(set: KubeObject, template: LooseObject, ordinal: number): KubeObject {
  const name = `${set.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(set, template);
  delete pod.metadata.generateName;
  pod.metadata.name = name;
  pod.metadata.labels = { ...pod.metadata.labels, ...identityLabels(name, ordinal) };
  pod.spec.hostname = name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const claims: LooseObject[] = set.spec?.volumeClaimTemplates ?? [];
  if (claims.length > 0) {
    const named = new Set(claims.map((c) => c.metadata?.name));
    const volumes = (pod.spec.volumes ?? []).filter((v: LooseObject) => !named.has(v.name));
    for (const c of claims)
      volumes.push({ name: c.metadata?.name, persistentVolumeClaim: { claimName: `${c.metadata?.name}-${name}` } });
    pod.spec.volumes = volumes;
  }
  return pod;
}
