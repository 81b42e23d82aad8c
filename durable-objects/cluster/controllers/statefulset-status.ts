// A StatefulSet's status from its pods (upstream computeReplicaStatus, updateStatus and
// completeRollingUpdate): counts per revision, and the current revision catching up with the
// update revision once a rolling update has every pod updated and ready.
import type { KubeObject } from "../../../kube/types.ts";
import { isPodAvailable } from "./pods.ts";
import { podRevision, runningAndReady } from "./statefulset-plan.ts";

export interface StatusInput {
  current: string;
  update: string;
  collisionCount: number;
  now: number;
}

export function statefulSetStatus(set: KubeObject, pods: readonly KubeObject[], input: StatusInput) {
  const minReady = Number(set.spec?.minReadySeconds ?? 0);
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const p of pods) {
    replicas++;
    if (runningAndReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, input.now)) available++;
    }
    if (p.metadata.deletionTimestamp) continue;
    if (podRevision(p) === input.current) current++;
    if (podRevision(p) === input.update) updated++;
  }
  let currentRevision = input.current;
  const rolling = set.spec?.updateStrategy?.type === "RollingUpdate";
  if (rolling && updated === replicas && ready === replicas) {
    current = updated;
    currentRevision = input.update;
  }
  // Upstream omits zero counts, except replicas and availableReplicas.
  const status: Record<string, unknown> = { observedGeneration: set.metadata.generation ?? 1, replicas };
  if (ready) status.readyReplicas = ready;
  if (current) status.currentReplicas = current;
  if (updated) status.updatedReplicas = updated;
  status.currentRevision = currentRevision;
  status.updateRevision = input.update;
  status.collisionCount = input.collisionCount;
  status.availableReplicas = available;
  if (set.status?.conditions?.length) status.conditions = set.status.conditions;
  return status;
}
