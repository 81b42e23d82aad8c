// Toleration matching as v1helper.TolerationsTolerateTaint and Toleration.ToleratesTaint.
import type { Taint, Toleration } from "./types.ts";

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  // An empty key with operator Exists matches every taint.
  if ((t.operator ?? "Equal") === "Exists") return true;
  return (t.value ?? "") === (taint.value ?? "");
}

export const tolerates = (tolerations: readonly Toleration[], taint: Taint): boolean =>
  tolerations.some((t) => toleratesTaint(t, taint));

/** The first taint of the given effects no toleration covers (FindMatchingUntoleratedTaint). */
export function untoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly string[],
): Taint | undefined {
  for (const taint of taints) if (effects.includes(taint.effect) && !tolerates(tolerations, taint)) return taint;
  return undefined;
}

/** "node(s) had untolerated taint {key: value}", upstream's TaintToleration reason. */
export const untoleratedReason = (taint: Taint): string =>
  `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`;
