// Node selector terms (v1.NodeSelector) as component-helpers' nodeaffinity matches them:
// terms are ORed, the requirements within a term ANDed, an empty term matches nothing.
import type { NodeSelectorRequirement, NodeSelectorTerm } from "./types.ts";

const INTEGER = /^-?\d+$/;

function requirementMatches(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return has && values.includes(value);
    case "NotIn":
      return !has || !values.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      if (!has || !INTEGER.test(value) || values.length !== 1 || !INTEGER.test(values[0])) return false;
      const [a, b] = [BigInt(value), BigInt(values[0])];
      return r.operator === "Gt" ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** matchFields support only metadata.name, with In and NotIn. */
function fieldMatches(r: NodeSelectorRequirement, nodeName: string): boolean {
  if (r.key !== "metadata.name") return false;
  if (r.operator === "In") return (r.values ?? []).includes(nodeName);
  if (r.operator === "NotIn") return !(r.values ?? []).includes(nodeName);
  return false;
}

export function termMatches(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => fieldMatches(r, nodeName));
}

export const anyTermMatches = (terms: NodeSelectorTerm[], labels: Record<string, string>, nodeName: string) =>
  terms.some((t) => termMatches(t, labels, nodeName));

/** spec.nodeSelector: every pair must be a node label. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}
