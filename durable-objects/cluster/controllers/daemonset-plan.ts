// What a DaemonSet sync does to its pods, decided without writing anything (upstream
// daemon controller's podsShouldBeOnNode, rollingUpdate and updateDaemonSetStatus): which
// nodes get a pod, which pods go, how a rolling update advances, and the status counts.
import type { KubeObject } from "../../../kube/types.ts";
import { scaledValue, type IntOrPercent } from "./deployment-math.ts";
import type { NodeFit } from "./daemonset-nodes.ts";
import { isPodAvailable, isPodReady } from "./pods.ts";

/** A node's name and whether the DaemonSet belongs there. */
export interface NodeInfo {
  name: string;
  fit: NodeFit;
}

export interface PodChanges {
  /** Nodes that get a new daemon pod. */
  createOn: string[];
  /** Pods to delete. */
  remove: KubeObject[];
  /** Failed pods among `remove` (reported with a warning event). */
  failed: KubeObject[];
}

export interface UpdateContext {
  isUpdated(pod: KubeObject): boolean;
  minReadySeconds: number;
  now: number;
}

const created = (p: KubeObject) => Date.parse(p.metadata.creationTimestamp ?? "") || 0;

/** podByCreationTimestampAndPhase: bound pods first, then oldest, then by name. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const bound = Number(Boolean(b.spec?.nodeName)) - Number(Boolean(a.spec?.nodeName));
  return bound || created(a) - created(b) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

const deleting = (p: KubeObject) => Boolean(p.metadata.deletionTimestamp);

/** podsShouldBeOnNode for one node: create, keep, or remove daemon pods. */
function planNode(node: NodeInfo, pods: readonly KubeObject[], surge: boolean, ctx: UpdateContext, out: PodChanges) {
  const { shouldRun, shouldContinueRunning } = node.fit;
  if (shouldRun && pods.length === 0) {
    out.createOn.push(node.name);
    return;
  }
  if (!shouldContinueRunning) {
    for (const p of pods) if (!deleting(p)) out.remove.push(p);
    return;
  }
  const running: KubeObject[] = [];
  for (const p of pods) {
    if (deleting(p)) continue;
    if (p.status?.phase === "Failed") {
      out.remove.push(p);
      out.failed.push(p);
    } else running.push(p);
  }
  running.sort(byCreation);
  if (!surge) {
    out.remove.push(...running.slice(1));
    return;
  }
  // With surge a node may briefly hold one old and one updated pod: the oldest of each stays.
  let keptNew = false;
  let keptOld = false;
  for (const p of running) {
    const updated = ctx.isUpdated(p);
    if (updated && !keptNew) keptNew = true;
    else if (!updated && !keptOld) keptOld = true;
    else out.remove.push(p);
  }
}

/** manage(): the changes that put one daemon pod on every node it belongs on. */
export function planNodes(
  nodes: readonly NodeInfo[],
  byNode: ReadonlyMap<string, readonly KubeObject[]>,
  surge: boolean,
  ctx: UpdateContext,
): PodChanges {
  const out: PodChanges = { createOn: [], remove: [], failed: [] };
  const known = new Set<string>();
  for (const node of nodes) {
    known.add(node.name);
    planNode(node, byNode.get(node.name) ?? [], surge, ctx, out);
  }
  // Unscheduled pods meant for nodes that are gone (bound ones are the pod GC's).
  for (const [name, pods] of byNode)
    if (!known.has(name)) for (const p of pods) if (!p.spec?.nodeName && !deleting(p)) out.remove.push(p);
  return out;
}

/** findUpdatedPodsOnNode: the node's live updated and old pod, or null when it has two of either. */
function podsOnNode(pods: readonly KubeObject[], ctx: UpdateContext) {
  let updated: KubeObject | undefined;
  let old: KubeObject | undefined;
  for (const p of pods) {
    if (deleting(p)) continue;
    if (ctx.isUpdated(p)) {
      if (updated) return null;
      updated = p;
    } else {
      if (old) return null;
      old = p;
    }
  }
  return { updated, old };
}

export interface RollingLimits {
  maxSurge: number;
  maxUnavailable: number;
}

/** updatedDesiredNodeCounts: the limits scaled to the desired node count (rounded up); never both 0. */
export function rollingLimits(surge: IntOrPercent, unavailable: IntOrPercent, desired: number): RollingLimits {
  const maxSurge = scaledValue(surge ?? 0, desired, true);
  const maxUnavailable = scaledValue(unavailable ?? 0, desired, true);
  return maxSurge === 0 && maxUnavailable === 0 ? { maxSurge: 0, maxUnavailable: 1 } : { maxSurge, maxUnavailable };
}

const available = (p: KubeObject, ctx: UpdateContext) => isPodAvailable(p, ctx.minReadySeconds, ctx.now);

/** rollingUpdate without surge: delete old pods while at most maxUnavailable nodes lack an available pod. */
function replaceInPlace(byNode: ReadonlyMap<string, readonly KubeObject[]>, max: number, ctx: UpdateContext) {
  let unavailable = 0;
  const replaceNow: KubeObject[] = [];
  const candidates: KubeObject[] = [];
  for (const name of [...byNode.keys()].sort()) {
    const found = podsOnNode(byNode.get(name)!, ctx);
    if (!found || Boolean(found.old) === Boolean(found.updated)) {
      unavailable++; // manage() is still creating or cleaning up here
    } else if (found.updated) {
      if (!available(found.updated, ctx)) unavailable++;
    } else if (!available(found.old!, ctx)) replaceNow.push(found.old!);
    else if (unavailable < max) candidates.push(found.old!);
  }
  const room = Math.min(Math.max(0, max - unavailable), candidates.length);
  return { createOn: [], remove: [...replaceNow, ...candidates.slice(0, room)], failed: [] };
}

/** rollingUpdate with surge: start an updated pod beside an old one, delete the old once it is available. */
function surgeUpdate(byNode: ReadonlyMap<string, readonly KubeObject[]>, max: number, ctx: UpdateContext) {
  let surging = 0;
  const createNow: string[] = [];
  const candidates: string[] = [];
  const remove: KubeObject[] = [];
  for (const name of [...byNode.keys()].sort()) {
    const found = podsOnNode(byNode.get(name)!, ctx);
    if (!found) {
      surging++;
    } else if (!found.old) {
      // nothing to replace; manage() creates what is missing
    } else if (!found.updated) {
      if (!available(found.old, ctx)) createNow.push(name);
      else if (surging < max) candidates.push(name);
    } else if (!available(found.updated, ctx)) surging++;
    else remove.push(found.old);
  }
  const room = Math.min(Math.max(0, max - surging), candidates.length);
  return { createOn: [...createNow, ...candidates.slice(0, room)], remove, failed: [] };
}

/** One step of a RollingUpdate over the pods by node. */
export function planRollingUpdate(
  byNode: ReadonlyMap<string, readonly KubeObject[]>,
  limits: RollingLimits,
  ctx: UpdateContext,
): PodChanges {
  return limits.maxSurge === 0
    ? replaceInPlace(byNode, limits.maxUnavailable, ctx)
    : surgeUpdate(byNode, limits.maxSurge, ctx);
}

export interface DaemonCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  updatedNumberScheduled: number;
  numberUnavailable: number;
}

/** updateDaemonSetStatus's counts: the oldest pod on each node it should run on speaks for it. */
export function daemonCounts(
  nodes: readonly NodeInfo[],
  byNode: ReadonlyMap<string, readonly KubeObject[]>,
  ctx: UpdateContext,
): DaemonCounts {
  const c: DaemonCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    numberAvailable: 0,
    updatedNumberScheduled: 0,
    numberUnavailable: 0,
  };
  for (const node of nodes) {
    const pods = byNode.get(node.name) ?? [];
    if (!node.fit.shouldRun) {
      if (pods.length > 0) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (pods.length === 0) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(byCreation)[0];
    if (isPodReady(pod)) {
      c.numberReady++;
      if (available(pod, ctx)) c.numberAvailable++;
    }
    if (ctx.isUpdated(pod)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}
