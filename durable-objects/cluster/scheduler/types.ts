// The scheduler's vocabulary: pods and nodes reduced to what placement reads (parsed once,
// not per cycle), filter statuses, and plugins written as data (name, weight, hooks).
import type { KubeObject, LabelSelector } from "../../../kube/types.ts";

/** Requests or capacity in integer units: cpu in millicores, memory and storage in bytes. */
export interface Resources {
  cpu: number;
  memory: number;
  ephemeral: number;
  /** Extended and hugepage resources by name, in their own units (rounded up). */
  scalar: Record<string, number>;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector | null;
  namespaces?: string[];
  namespaceSelector?: LabelSelector | null;
  topologyKey: string;
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  labelSelector?: LabelSelector | null;
  minDomains?: number;
  nodeAffinityPolicy?: "Honor" | "Ignore";
  nodeTaintsPolicy?: "Honor" | "Ignore";
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  podAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
  };
}

/** A pod as the scheduler sees it, computed once per pod version. */
export interface PodInfo {
  key: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  /** Effective requests (resource.PodRequests: containers, init maximum, sidecars, overhead). */
  requests: Resources;
  /** Requests with upstream's non-zero defaults (100m cpu, 200Mi memory) for scoring. */
  nonZero: { cpu: number; memory: number };
  priority: number;
  preemptionPolicy: string;
  tolerations: Toleration[];
  nodeSelector: Record<string, string>;
  affinity: Affinity;
  spread: TopologySpreadConstraint[];
  hostPorts: HostPort[];
  images: string[];
  /** The controller owner's uid, for spreading replicas of one owner. */
  ownerUid: string;
  nominatedNodeName: string;
  nodeName: string;
  /** Milliseconds since the epoch, from creationTimestamp (queue order, victim choice). */
  created: number;
  object: KubeObject;
}

/** Why one node was rejected: the reasons of the first failing filter. */
export interface Status {
  reasons: string[];
  /** UnschedulableAndUnresolvable: preemption cannot help on this node. */
  unresolvable: boolean;
}

export const unschedulable = (reason: string): Status => ({ reasons: [reason], unresolvable: false });
export const unresolvable = (reason: string): Status => ({ reasons: [reason], unresolvable: true });

/** What a plugin may read besides the pod and node at hand. */
export interface ClusterView {
  /** Every node with its assigned pods (the cache's current state). */
  nodes(): readonly NodeInfoView[];
  node(name: string): NodeInfoView | undefined;
  /** Assigned pods of one controller owner, per node name. */
  ownerCounts(ownerUid: string): ReadonlyMap<string, number> | undefined;
  /** Assigned pods that carry required pod anti-affinity terms. */
  podsWithRequiredAntiAffinity(): Iterable<PodInfo>;
  /** Assigned pods that carry any pod affinity or anti-affinity terms. */
  podsWithAffinity(): Iterable<PodInfo>;
  /** Namespace labels, for namespaceSelector terms. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** How many nodes report an image (normalized name), for ImageLocality's spread factor. */
  imageNodes(image: string): number;
  /** Claims, volumes and classes, for VolumeBinding. */
  readonly storage: StorageView;
}

/** The storage objects VolumeBinding reads (the store's current state). */
export interface StorageView {
  claim(namespace: string, name: string): KubeObject | undefined;
  volume(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
  volumes(): readonly KubeObject[];
}

/** A node and what is placed on it. */
export interface NodeInfoView {
  readonly name: string;
  readonly node: KubeObject | undefined;
  readonly labels: Record<string, string>;
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  /** "True", "False" or "Unknown" (no Ready condition counts as Unknown). */
  readonly ready: string;
  readonly allocatable: Resources;
  readonly allowedPods: number;
  readonly requested: Resources;
  readonly nonZeroRequested: { cpu: number; memory: number };
  readonly pods: ReadonlyMap<string, PodInfo>;
  readonly usedPorts: readonly HostPort[];
  /** Image name (normalized) → size in bytes, from status.images. */
  readonly images: ReadonlyMap<string, number>;
}

/** Per-pod state a plugin computes once before the node loop (upstream's PreFilter/PreScore). */
export type CycleState = Map<string, unknown>;

export interface FilterPlugin {
  /**
   * Runs once per pod; false skips this plugin's filter for the pod (upstream's Skip); a Status rejects
   * the pod on every node at once (upstream's PreFilter failure, which FailedScheduling names alone).
   */
  preFilter?(state: CycleState, pod: PodInfo, view: ClusterView): boolean | Status;
  filter(state: CycleState, pod: PodInfo, node: NodeInfoView, view: ClusterView): Status | null;
}

export interface ScorePlugin {
  /** Runs once per pod over the feasible nodes; false skips scoring (all nodes score 0). */
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfoView[], view: ClusterView): boolean;
  score(state: CycleState, pod: PodInfo, node: NodeInfoView, view: ClusterView): number;
  /** Maps raw scores onto 0…100 in place (upstream's NormalizeScore). */
  normalize?(state: CycleState, scores: number[]): void;
}

/** One plugin: its upstream name and the extension points it fills, with the score weight. */
export interface Plugin {
  name: string;
  filter?: FilterPlugin;
  score?: ScorePlugin;
  /** Upstream's default weight in the default profile (scores only). */
  weight?: number;
}

export const MAX_NODE_SCORE = 100;

/** DefaultNormalizeScore: scales to 0…100 by the maximum; `reverse` makes low raw scores best. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.floor((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
