// Which pods a ReplicaSet deletes first when it scales down, as upstream's ActivePodsWithRanks
// orders them: unscheduled before scheduled, pending before unknown before running, not
// ready before ready, lower pod-deletion-cost first, more pods of the set on the same node
// first, ready for less time first, more restarts first, newer before older.
import type { KubeObject } from "../../../kube/types.ts";
import { isPodReady, readySince } from "./pods.ts";

const DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: KubeObject): number {
  const n = Number(pod.metadata.annotations?.[DELETION_COST]);
  return Number.isInteger(n) ? n : 0;
}

function restarts(pod: KubeObject): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, Number(s.restartCount ?? 0));
  return max;
}

const created = (pod: KubeObject) => Date.parse(pod.metadata.creationTimestamp ?? "") || 0;

/** Pods of the set on each pod's node (its rank: higher means doubled up, deleted sooner). */
export function ranksBySharedNode(pods: readonly KubeObject[]): Map<KubeObject, number> {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  return new Map(pods.map((p) => [p, p.spec?.nodeName ? perNode.get(p.spec.nodeName)! : 0]));
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: KubeObject, b: KubeObject, rank: Map<KubeObject, number>): number {
  const scheduled = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
  if (scheduled !== 0) return scheduled;
  const phase = (PHASE_ORDER[a.status?.phase] ?? 0) - (PHASE_ORDER[b.status?.phase] ?? 0);
  if (phase !== 0) return phase;
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  const cost = deletionCost(a) - deletionCost(b);
  if (cost !== 0) return cost;
  const doubled = (rank.get(b) ?? 0) - (rank.get(a) ?? 0);
  if (doubled !== 0) return doubled;
  if (isPodReady(a) && isPodReady(b)) {
    const since = (readySince(b) ?? 0) - (readySince(a) ?? 0);
    if (since !== 0) return since; // ready more recently goes first
  }
  const restart = restarts(b) - restarts(a);
  if (restart !== 0) return restart;
  return created(b) - created(a);
}

/** The `count` pods to delete, best candidates first. */
export function podsToDelete(pods: readonly KubeObject[], count: number): KubeObject[] {
  const rank = ranksBySharedNode(pods);
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
}
