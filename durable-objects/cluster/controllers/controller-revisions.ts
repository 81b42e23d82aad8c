// Revision history shared by the DaemonSet and StatefulSet controllers (upstream
// pkg/controller/history and the sets' snapshot code): each distinct pod template is kept as a
// ControllerRevision whose data is the patch `kubectl rollout undo` applies to go back to it;
// going back to an old template renumbers its revision instead of creating a copy.
import { StatusError } from "../../../kube/status.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { claim } from "./claim.ts";
import { canonicalJson } from "./deployment-revisions.ts";
import { newControllerRef } from "./pods.ts";
import { safeSelector } from "./replicaset.ts";
import type { Writer } from "./writes.ts";

export const REVISIONS = "controllerrevisions.apps";
/** The label pods (and a DaemonSet's revisions) carry with their revision's hash or name. */
export const REVISION_HASH_LABEL = "controller-revision-hash";
/** The label a StatefulSet's revisions carry with their hash (history.ControllerRevisionHashLabel). */
export const HISTORY_HASH_LABEL = "controller.kubernetes.io/hash";
/** Upstream keeps revision names within 253 characters: the prefix is cut to 223. */
const MAX_PREFIX = 223;

/** getPatch: the template alone, marked to replace the set's template wholesale on undo. */
export function revisionData(template: unknown): LooseObject {
  return { spec: { template: { ...structuredClone((template ?? {}) as LooseObject), $patch: "replace" } } };
}

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to keep the name valid. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, MAX_PREFIX)}-${hash}`;
}

export function revisionNumber(rev: KubeObject): number {
  const n = Number((rev as LooseObject).revision ?? 0);
  return Number.isFinite(n) ? n : 0;
}

const created = (o: KubeObject) => Date.parse(o.metadata.creationTimestamp ?? "") || 0;

/** SortControllerRevisions: by revision, then age, then name (oldest first). */
export function sortRevisions(revisions: readonly KubeObject[]): KubeObject[] {
  return [...revisions].sort(
    (a, b) =>
      revisionNumber(a) - revisionNumber(b) ||
      created(a) - created(b) ||
      (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
  );
}

/** The number a new revision gets: one past the highest. */
export function nextRevisionNumber(revisions: readonly KubeObject[]): number {
  return revisions.reduce((max, r) => Math.max(max, revisionNumber(r)), 0) + 1;
}

export function sameData(a: KubeObject, b: KubeObject): boolean {
  return canonicalJson((a as LooseObject).data) === canonicalJson((b as LooseObject).data);
}

/** The revisions the owner controls or adopts (ClaimControllerRevisions), oldest first. */
export function claimRevisions(w: Writer, owner: KubeObject): KubeObject[] {
  return sortRevisions(claim(w, owner, safeSelector(owner), { resource: REVISIONS }));
}

export interface RevisionSpec {
  /** The revision's data (revisionData of the template). */
  data: LooseObject;
  /** Labels besides the hash label (the template's labels). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Which label carries the hash. */
  hashLabel: string;
  /** The hash for a collision count (the set's ComputeHash or HashControllerRevision). */
  hash(collisionCount: number): string;
}

export interface EnsuredRevision {
  revision: KubeObject;
  collisionCount: number;
  /** All the owner's revisions afterwards, oldest first. */
  revisions: KubeObject[];
}

/**
 * The revision for `spec.data`: the newest equal one (renumbered to the top when an older
 * template came back), or a new one named by its hash, the collision count raised while the
 * name is taken by different data.
 */
export function ensureRevision(
  w: Writer,
  owner: KubeObject,
  revisions: readonly KubeObject[],
  spec: RevisionSpec,
  collisionCount: number,
): EnsuredRevision {
  const sorted = sortRevisions(revisions);
  const probe = { data: spec.data } as unknown as KubeObject;
  const equal = sorted.filter((r) => sameData(r, probe));
  const latest = sorted.at(-1);
  const next = nextRevisionNumber(sorted);
  if (equal.length > 0) {
    const found = equal[equal.length - 1];
    if (found === latest) return { revision: found, collisionCount, revisions: sorted };
    const bumped = w.update(REVISIONS, found, { ...structuredClone(found), revision: next } as KubeObject);
    return { revision: bumped, collisionCount, revisions: replace(sorted, found, bumped) };
  }
  for (let count = collisionCount; ; count++) {
    const rev = newRevision(owner, spec, next, count);
    try {
      const made = w.create(REVISIONS, rev);
      return { revision: made, collisionCount: count, revisions: [...sorted, made] };
    } catch (e) {
      if (!(e instanceof StatusError) || e.reason !== "AlreadyExists") throw e;
      const existing = w.ctx.store.get(REVISIONS, owner.metadata.namespace, rev.metadata.name!)?.object;
      if (existing && sameData(existing, rev)) return { revision: existing, collisionCount: count, revisions: sorted };
    }
  }
}

function newRevision(owner: KubeObject, spec: RevisionSpec, number: number, collisionCount: number): KubeObject {
  const hash = spec.hash(collisionCount);
  const rev: LooseObject = {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: revisionName(owner.metadata.name!, hash),
      namespace: owner.metadata.namespace,
      labels: { ...(spec.labels ?? {}), [spec.hashLabel]: hash },
      ownerReferences: [newControllerRef(owner)],
    },
    data: spec.data,
    revision: number,
  };
  if (spec.annotations && Object.keys(spec.annotations).length > 0) rev.metadata.annotations = { ...spec.annotations };
  return rev as KubeObject;
}

function replace(list: KubeObject[], from: KubeObject, to: KubeObject): KubeObject[] {
  return sortRevisions(list.map((r) => (r === from ? to : r)));
}

/** Deletes up to `excess` of the oldest revisions that are not live. */
export function pruneRevisions(
  w: Writer,
  revisions: readonly KubeObject[],
  excess: number,
  isLive: (rev: KubeObject) => boolean,
): void {
  let left = excess;
  for (const rev of sortRevisions(revisions)) {
    if (left <= 0) return;
    if (isLive(rev)) continue;
    w.delete(REVISIONS, rev);
    left--;
  }
}
