// The rules an aggregating ClusterRole should hold: those of every ClusterRole its aggregationRule selects,
// by selector then by name, each distinct rule once (upstream's clusterroleaggregation syncClusterRole).
import { jsonEqual } from "../../../kube/patch/json-values.ts";
import { matchesLabels, requirementsFromLabelSelector } from "../../../kube/labels.ts";
import type { KubeObject, LabelSelector } from "../../../kube/types.ts";
import { type PolicyRule, rulesOf } from "../registry/rbac-validation.ts";

export function selectorsOf(role: KubeObject): LabelSelector[] | undefined {
  const rule = role.aggregationRule as { clusterRoleSelectors?: LabelSelector[] } | null | undefined;
  return rule ? (rule.clusterRoleSelectors ?? []) : undefined;
}

/** The aggregated rules, or undefined when `role` does not aggregate. */
export function aggregatedRules(role: KubeObject, all: readonly KubeObject[]): PolicyRule[] | undefined {
  const selectors = selectorsOf(role);
  if (!selectors) return undefined;
  const byName = [...all].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const rules: PolicyRule[] = [];
  for (const selector of selectors) {
    let reqs: ReturnType<typeof requirementsFromLabelSelector>;
    try {
      reqs = requirementsFromLabelSelector(selector);
    } catch {
      continue; // validation refuses such selectors; one stored before is skipped as upstream skips errors
    }
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !matchesLabels(reqs, other.metadata.labels)) continue;
      for (const rule of rulesOf(other)) if (!rules.some((r) => jsonEqual(r, rule))) rules.push(rule);
    }
  }
  return rules;
}

/** Whether the role's stored rules already are `rules` (nil and empty alike, as upstream's semantic equality). */
export function rulesUpToDate(role: KubeObject, rules: PolicyRule[]): boolean {
  return jsonEqual(rulesOf(role), rules);
}
