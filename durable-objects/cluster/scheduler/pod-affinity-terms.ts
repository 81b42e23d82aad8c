// Pod affinity terms compiled once: which pods a term selects (label selector plus the
// namespaces it names, or the pod's own namespace), as upstream's framework.AffinityTerm.
import { type LabelRequirement, matchesLabels, requirementsFromLabelSelector } from "../../../kube/labels.ts";
import type { ClusterView, PodAffinityTerm, PodInfo, WeightedPodAffinityTerm } from "./types.ts";

export interface CompiledTerm {
  selector: LabelRequirement[] | null;
  namespaces: Set<string>;
  /** From namespaceSelector; null when the term has none. */
  namespaceSelector: LabelRequirement[] | null;
  topologyKey: string;
  weight: number;
}

export function compileTerm(owner: PodInfo, term: PodAffinityTerm, weight = 1): CompiledTerm {
  const nsSelector = term.namespaceSelector ? requirementsFromLabelSelector(term.namespaceSelector) : null;
  const names = term.namespaces ?? [];
  // No namespaces and no namespaceSelector means the pod's own namespace.
  const namespaces = new Set(names.length === 0 && !nsSelector ? [owner.namespace] : names);
  return {
    selector: requirementsFromLabelSelector(term.labelSelector ?? null),
    namespaces,
    namespaceSelector: nsSelector,
    topologyKey: term.topologyKey,
    weight,
  };
}

export const compileTerms = (owner: PodInfo, terms: PodAffinityTerm[] | undefined) =>
  (terms ?? []).map((t) => compileTerm(owner, t));

export const compileWeighted = (owner: PodInfo, terms: WeightedPodAffinityTerm[] | undefined) =>
  (terms ?? []).map((t) => compileTerm(owner, t.podAffinityTerm, t.weight));

/** Whether the term selects `pod` (namespace first, then labels). */
export function termSelects(term: CompiledTerm, pod: PodInfo, view: ClusterView): boolean {
  if (!term.namespaces.has(pod.namespace)) {
    if (!term.namespaceSelector) return false;
    if (!matchesLabels(term.namespaceSelector, view.namespaceLabels(pod.namespace))) return false;
  }
  return matchesLabels(term.selector, pod.labels);
}

export const requiredAffinity = (p: PodInfo) => p.affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
export const requiredAntiAffinity = (p: PodInfo) =>
  p.affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
export const preferredAffinity = (p: PodInfo) =>
  p.affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
export const preferredAntiAffinity = (p: PodInfo) =>
  p.affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution;

export const hasPodAffinity = (p: PodInfo): boolean =>
  !!(
    requiredAffinity(p)?.length ||
    requiredAntiAffinity(p)?.length ||
    preferredAffinity(p)?.length ||
    preferredAntiAffinity(p)?.length
  );
