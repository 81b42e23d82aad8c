// When a pod on a node with NoExecute taints must go (upstream pkg/controller/tainteviction, pure):
// a taint no toleration covers evicts at once; otherwise each taint's first matching toleration
// bounds the stay by its tolerationSeconds (none: forever), counted from the taint's timeAdded,
// and the earliest bound wins. Zero or negative seconds evict at once, as upstream.
import { toleratesTaint } from "../scheduler/taints.ts";

export interface NoExecuteTaint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface PodToleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number | null;
}

/** Evict now (an untolerated taint). */
export const EVICT_NOW = Number.NEGATIVE_INFINITY;

/**
 * The time (ms) the pod must be deleted at, EVICT_NOW, or undefined when it may stay forever
 * (no NoExecute taints, or every one tolerated without a limit). `addedAt` gives a taint's
 * start in ms (its timeAdded, or when the controller first saw it).
 */
export function evictionDeadline(
  taints: readonly NoExecuteTaint[],
  tolerations: readonly PodToleration[],
  addedAt: (taint: NoExecuteTaint) => number,
): number | undefined {
  let deadline: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== "NoExecute") continue;
    const toleration = tolerations.find((t) => toleratesTaint(t, taint));
    if (!toleration) return EVICT_NOW;
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    const at = addedAt(taint) + Math.max(0, seconds) * 1000;
    if (deadline === undefined || at < deadline) deadline = at;
  }
  return deadline;
}

/** The taint's timeAdded in ms, or undefined when it has none (or it does not parse). */
export function timeAddedMs(taint: NoExecuteTaint): number | undefined {
  const ms = Date.parse(taint.timeAdded ?? "");
  return Number.isNaN(ms) ? undefined : ms;
}
