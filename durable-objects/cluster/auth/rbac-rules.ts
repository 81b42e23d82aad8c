// Whether one PolicyRule allows a request: upstream's RuleAllows and its matchers
// (pkg/apis/rbac/v1/evaluation_helpers.go), wildcards and `*/subresource` included.
import type { PolicyRule } from "../registry/rbac-validation.ts";
import type { RequestInfo } from "./request-info.ts";

const ALL = "*";

const has = (list: string[] | undefined, value: string) => !!list && (list.includes(ALL) || list.includes(value));

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, group);
}

/** `pods`, `pods/log`, `*` and `*∕log` (any resource's log subresource). */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource && r.length === subresource.length + 2 && r.startsWith("*/") && r.endsWith(subresource))
      return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return !rule.resourceNames?.length || rule.resourceNames.includes(name);
}

/** Exact paths, `*`, and a trailing `*` matching by prefix. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true;
    if (url.endsWith(ALL) && path.startsWith(url.replace(/\*+$/, ""))) return true;
  }
  return false;
}

export function ruleAllows(info: RequestInfo, rule: PolicyRule): boolean {
  if (!verbMatches(rule, info.verb)) return false;
  if (!info.resourceRequest) return nonResourceURLMatches(rule, info.path);
  const combined = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  return (
    apiGroupMatches(rule, info.apiGroup) &&
    resourceMatches(rule, combined, info.subresource) &&
    resourceNameMatches(rule, info.name)
  );
}
