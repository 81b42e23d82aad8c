// What one StatefulSet sync does to its pods, decided without writing anything (upstream
// stateful_set_control.go updateStatefulSet): pods are slots by ordinal; OrderedReady creates
// and deletes one at a time and only past healthy predecessors, Parallel does all at once;
// scale-down takes the highest ordinal first; a rolling update replaces from the highest
// ordinal down to the partition, one pod at a time.
import type { KubeObject } from "../../../kube/types.ts";
import { isPodAvailable, isPodReady } from "./pods.ts";

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
export const REVISION_LABEL = "controller-revision-hash";

/** getParentNameAndOrdinal: `<set>-<n>` → n, or -1 when the name is not one of the set's. */
export function ordinalOf(setName: string, pod: KubeObject): number {
  const m = /^(.*)-(\d+)$/.exec(pod.metadata.name ?? "");
  if (!m || m[1] !== setName) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : -1;
}

const terminating = (p: KubeObject) => Boolean(p.metadata.deletionTimestamp);
const finished = (p: KubeObject) => p.status?.phase === "Failed" || p.status?.phase === "Succeeded";
export const runningAndReady = (p: KubeObject) => p.status?.phase === "Running" && isPodReady(p);
const healthy = (p: KubeObject) => runningAndReady(p) && !terminating(p);
export const podRevision = (p: KubeObject) => p.metadata.labels?.[REVISION_LABEL] ?? "";

export type Action =
  | { type: "create"; ordinal: number }
  | { type: "delete"; pod: KubeObject; why: "finished" | "scale" | "update" };

export interface PlanInput {
  setName: string;
  /** spec.ordinals.start. */
  start: number;
  replicas: number;
  pods: readonly KubeObject[];
  /** OrderedReady (true) or Parallel (false). */
  monotonic: boolean;
  minReadySeconds: number;
  now: number;
  updateRevision: string;
  /** RollingUpdate's partition, or null for OnDelete. */
  partition: number | null;
}

/** The set's pods as slots [start, start+replicas) and the condemned ones above, highest first. */
export function slots(input: PlanInput): { replicas: (KubeObject | undefined)[]; condemned: KubeObject[] } {
  const replicas: (KubeObject | undefined)[] = new Array(input.replicas).fill(undefined);
  const condemned: KubeObject[] = [];
  for (const p of input.pods) {
    const ord = ordinalOf(input.setName, p);
    if (ord < 0) continue;
    const i = ord - input.start;
    if (i >= 0 && i < input.replicas) replicas[i] = p;
    else condemned.push(p);
  }
  condemned.sort((a, b) => ordinalOf(input.setName, b) - ordinalOf(input.setName, a));
  return { replicas, condemned };
}

/** The actions of one sync, in order; the first blocking condition ends the list in OrderedReady. */
export function planStatefulSet(input: PlanInput): Action[] {
  const { replicas, condemned } = slots(input);
  const available = (p: KubeObject) => runningAndReady(p) && isPodAvailable(p, input.minReadySeconds, input.now);
  const actions: Action[] = [];
  const mono = input.monotonic;
  for (let i = 0; i < replicas.length; i++) {
    const pod = replicas[i];
    if (!pod) {
      actions.push({ type: "create", ordinal: input.start + i });
      if (mono) return actions;
      continue;
    }
    if (finished(pod)) {
      // Recreated under the same name once this one is gone.
      if (!terminating(pod)) actions.push({ type: "delete", pod, why: "finished" });
      if (mono) return actions;
      continue;
    }
    if (mono && (terminating(pod) || !available(pod))) return actions;
  }
  // Scale down: in OrderedReady only once every replica is healthy, highest ordinal first.
  const unhealthy = [...replicas, ...[...condemned].reverse()].find((p) => p && !healthy(p));
  for (const pod of condemned) {
    if (terminating(pod)) {
      if (mono) return actions;
      continue;
    }
    if (mono && pod !== unhealthy && !available(pod)) return actions;
    actions.push({ type: "delete", pod, why: "scale" });
    if (mono) return actions;
  }
  if (input.partition === null) return actions;
  return [...actions, ...rollingStep(replicas, input)];
}

/** The rolling update's next step: the highest outdated pod at or above the partition goes. */
function rollingStep(replicas: (KubeObject | undefined)[], input: PlanInput): Action[] {
  const min = Math.max(0, input.partition ?? 0);
  for (let i = replicas.length - 1; i >= min; i--) {
    const pod = replicas[i];
    if (!pod) return [];
    if (podRevision(pod) !== input.updateRevision && !terminating(pod)) return [{ type: "delete", pod, why: "update" }];
    if (!healthy(pod)) return [];
  }
  return [];
}
