// Revisions and template identity of a deployment's ReplicaSets, as upstream's
// deployment util: the pod-template-hash, finding the new set by template, the revision
// annotation (bumped when an old set becomes new again, the old number kept in
// revision-history) and the annotations a deployment copies to its sets.
import type { KubeObject } from "../../../kube/types.ts";

export const HASH_LABEL = "pod-template-hash";
export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
const MAX_HISTORY_CHARS = 2000;

/** Annotations a deployment never copies to its sets. */
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  "deprecated.deployment.rollback.to",
]);

// Upstream's SafeEncodeString alphabet: no vowels, no look-alikes.
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

/** JSON with object keys sorted, so equal templates hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function fnv32a(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** ComputeHash: FNV-32a of the template (and the collision count), safely encoded. */
export function templateHash(template: unknown, collisionCount?: number): string {
  let text = canonicalJson(template);
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  return [...String(fnv32a(text))].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join("");
}

/**
 * The template as upstream's semantic equality sees it: null, empty lists and empty maps are
 * the same as absent (kubectl sends `creationTimestamp: null` in templates it copies back).
 */
function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(semantic);
  if (value === null) return undefined;
  if (typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const s = semantic(v);
    if (s !== undefined) out[k] = s;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function withoutHash(template: KubeObject["spec"]): unknown {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  return canonicalJson(semantic(t) ?? {});
}

/** EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoringHash(a: KubeObject["spec"], b: KubeObject["spec"]): boolean {
  return withoutHash(a) === withoutHash(b);
}

export const createdMs = (o: KubeObject) => Date.parse(o.metadata.creationTimestamp ?? "") || 0;

export function byCreation(a: KubeObject, b: KubeObject): number {
  return createdMs(a) - createdMs(b) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

/** FindNewReplicaSet: the oldest set whose template is the deployment's. */
export function findNewSet(d: KubeObject, sets: readonly KubeObject[]): KubeObject | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoringHash(rs.spec?.template, d.spec?.template));
}

export function revisionOf(obj: KubeObject): number {
  const n = Number(obj.metadata.annotations?.[REVISION] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(sets: readonly KubeObject[]): number {
  return sets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** SetReplicasAnnotations; true when it changed them. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  if (a[DESIRED_REPLICAS] === String(desired) && a[MAX_REPLICAS] === String(max)) return false;
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return true;
}

/** SetNewReplicaSetAnnotations (without the replicas annotations); true when it changed them. */
export function setNewSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number): boolean {
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const old = a[REVISION];
  const oldNumber = Number(old ?? 0) || 0;
  if (oldNumber >= newRevision) return changed;
  a[REVISION] = String(newRevision);
  if (old !== undefined) a[REVISION_HISTORY] = appendHistory(a[REVISION_HISTORY], old);
  return true;
}

/** The revisions a set had before, oldest dropped first to stay within upstream's length cap. */
function appendHistory(history: string | undefined, old: string): string {
  const revisions = history ? history.split(",") : [];
  revisions.push(old);
  while (revisions.join(",").length > MAX_HISTORY_CHARS && revisions.length > 1) revisions.shift();
  return revisions.join(",");
}
