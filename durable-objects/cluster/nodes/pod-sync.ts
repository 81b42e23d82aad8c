// The pod side of sync, pure: which config maps and secrets a pod references, how an agent's status
// merges into the stored one, and what a node must be told (pods new or changed, pods to stop).
import type { Pod, PodCondition, PodStatus } from "../../../kube/pod-types.ts";

export interface References {
  configMaps: Set<string>;
  secrets: Set<string>;
}

/** Names referenced by env, envFrom and volumes of every container (init containers included). */
export function podReferences(pod: Pod): References {
  const refs: References = { configMaps: new Set(), secrets: new Set() };
  const add = (set: Set<string>, name: string | undefined) => name && set.add(name);
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    for (const e of c.env ?? []) {
      add(refs.configMaps, e.valueFrom?.configMapKeyRef?.name);
      add(refs.secrets, e.valueFrom?.secretKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add(refs.configMaps, e.configMapRef?.name);
      add(refs.secrets, e.secretRef?.name);
    }
  }
  for (const v of pod.spec.volumes ?? []) {
    add(refs.configMaps, v.configMap?.name);
    add(refs.secrets, v.secret?.secretName);
  }
  return refs;
}

/**
 * The stored status with the agent's in it. Like the kubelet's status manager, conditions of types the
 * agent does not own (readiness gates, DisruptionTarget …) and fields it does not set (nominatedNodeName,
 * qosClass) are kept.
 */
export function mergePodStatus(stored: Partial<PodStatus> | undefined, agent: PodStatus): PodStatus {
  const owned = new Set((agent.conditions ?? []).map((c) => c.type));
  const kept: PodCondition[] = (stored?.conditions ?? []).filter((c) => !owned.has(c.type));
  return { ...(stored ?? {}), ...agent, conditions: [...(agent.conditions ?? []), ...kept] };
}

/** What the agent holds after a sync's own status writes, and which of those writes it may take as known. */
export interface KnownAfterWrites {
  /** uid → resourceVersion the agent holds, as the object compares against it. */
  known: Map<string, string>;
  /** uid → resourceVersion of the status writes that changed nothing else the agent has not seen. */
  acknowledged: Record<string, string>;
}

/**
 * The object's own status write counts as known only when it was made on top of the version the agent
 * holds: then the written object is the agent's copy plus the agent's status. When the pod changed in
 * between (a deletion, a new label, an earlier write whose answer the agent never got), the write carries
 * that change too, so the agent keeps its older version and is sent the pod; taking the write as known
 * would lose the change (issue 21: a deletion landing just before a status write never reached the agent).
 */
export function knownAfterWrites(
  held: readonly { uid: string; resourceVersion: string }[],
  before: Readonly<Record<string, string>>,
  written: Readonly<Record<string, string>>,
): KnownAfterWrites {
  const known = new Map<string, string>();
  const acknowledged: Record<string, string> = {};
  for (const { uid, resourceVersion } of held) {
    const rv = written[uid];
    if (rv !== undefined && before[uid] === resourceVersion) {
      acknowledged[uid] = rv;
      known.set(uid, rv);
    } else known.set(uid, resourceVersion);
  }
  return { known, acknowledged };
}

export interface NodeDiff<T> {
  changed: T[];
  stop: string[];
}

/** Bound pods the agent lacks or holds at another resourceVersion, and held pods no longer bound. */
export function diffNodePods<T extends { metadata: { uid?: string; resourceVersion?: string } }>(
  bound: readonly T[],
  known: Map<string, string>,
): NodeDiff<T> {
  const changed = bound.filter((p) => known.get(p.metadata.uid ?? "") !== p.metadata.resourceVersion);
  const boundUids = new Set(bound.map((p) => p.metadata.uid ?? ""));
  const stop = [...known.keys()].filter((uid) => !boundUids.has(uid));
  return { changed, stop };
}
