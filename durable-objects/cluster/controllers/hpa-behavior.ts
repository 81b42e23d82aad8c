// What the HPA does with a metric's proposal before it scales (upstream horizontal.go): the
// stabilization windows over past recommendations, the scaling policies over past scale events
// (spec.behavior), or without a behavior the legacy rules (5-minute downscale stabilization,
// scale-up to at most max(2×current, 4)), and min/max clamping with the ScalingLimited reasons.
// Pure: the history is a value the controller keeps per HPA (upstream keeps it in memory too).

/** --horizontal-pod-autoscaler-downscale-stabilization. */
export const DOWNSCALE_STABILIZATION_SECONDS = 300;
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export interface ScalingPolicy {
  type: "Pods" | "Percent";
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: "Max" | "Min" | "Disabled";
  policies?: ScalingPolicy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

interface Recommendation {
  replicas: number;
  at: number;
}

interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

/** Per-HPA memory: recent recommendations and scale events. */
export interface HpaHistory {
  recommendations: Recommendation[];
  scaleUp: ScaleEvent[];
  scaleDown: ScaleEvent[];
}

export const emptyHistory = (): HpaHistory => ({ recommendations: [], scaleUp: [], scaleDown: [] });

export interface Condition {
  status: "True" | "False";
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  /** The AbleToScale condition this step sets. */
  ableToScale: Condition;
  scalingLimited: Condition;
}

export interface NormalizeInput {
  behavior?: Behavior;
  current: number;
  desired: number;
  min: number;
  max: number;
  now: number;
}

const READY: Condition = {
  status: "True",
  reason: "ReadyForNewScale",
  message: "recommended size matches current size",
};
const DOWN_STABILIZED: Condition = {
  status: "True",
  reason: "ScaleDownStabilized",
  message: "recent recommendations were higher than current one, applying the highest recent recommendation",
};
const UP_STABILIZED: Condition = {
  status: "True",
  reason: "ScaleUpStabilized",
  message: "recent recommendations were lower than current one, applying the lowest recent recommendation",
};
const IN_RANGE = { reason: "DesiredWithinRange", message: "the desired count is within the acceptable range" };
const TOO_MANY = {
  reason: "TooManyReplicas",
  message: "the desired replica count is more than the maximum replica count",
};
const TOO_FEW = {
  reason: "TooFewReplicas",
  message: "the desired replica count is less than the minimum replica count",
};
const UP_LIMIT = {
  reason: "ScaleUpLimit",
  message: "the desired replica count is increasing faster than the maximum scale rate",
};
const DOWN_LIMIT = {
  reason: "ScaleDownLimit",
  message: "the desired replica count is decreasing faster than the maximum scale rate",
};

/** Keeps the recommendation, overwriting one sample older than every window instead of growing. */
function remember(history: HpaHistory, replicas: number, now: number, oldIndex: number): void {
  if (oldIndex >= 0) history.recommendations[oldIndex] = { replicas, at: now };
  else history.recommendations.push({ replicas, at: now });
}

/** stabilizeRecommendation (no behavior): the highest recommendation of the downscale window. */
function stabilizeLegacy(history: HpaHistory, desired: number, now: number): number {
  const cutoff = now - DOWNSCALE_STABILIZATION_SECONDS * 1000;
  let highest = desired;
  let oldIndex = -1;
  history.recommendations.forEach((r, i) => {
    if (r.at < cutoff) oldIndex = i;
    else highest = Math.max(highest, r.replicas);
  });
  remember(history, desired, now, oldIndex);
  return highest;
}

/** convertDesiredReplicasWithRules: min/max and the legacy scale-up rate. */
function clampLegacy(current: number, desired: number, min: number, max: number) {
  const upLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
  const [ceiling, limit] = max > upLimit ? [upLimit, UP_LIMIT] : [max, TOO_MANY];
  if (desired < min) return { replicas: min, ...TOO_FEW };
  if (desired > ceiling) return { replicas: ceiling, ...limit };
  return { replicas: desired, ...IN_RANGE };
}

function limited(replicas: number, stabilized: number, r: { reason: string; message: string }): Condition {
  return { status: replicas === stabilized ? "False" : "True", reason: r.reason, message: r.message };
}

/** normalizeDesiredReplicas / normalizeDesiredReplicasWithBehaviors. */
export function normalize(history: HpaHistory, input: NormalizeInput): Normalized {
  if (!input.behavior) {
    const stabilized = stabilizeLegacy(history, input.desired, input.now);
    const ableToScale = stabilized !== input.desired ? DOWN_STABILIZED : READY;
    const clamped = clampLegacy(input.current, stabilized, input.min, input.max);
    return { replicas: clamped.replicas, ableToScale, scalingLimited: limited(clamped.replicas, stabilized, clamped) };
  }
  const up = input.behavior.scaleUp ?? {};
  const down = input.behavior.scaleDown ?? {};
  const { recommendation, stabilizedReason } = stabilizeWithBehavior(history, input, up, down);
  const ableToScale = recommendation !== input.desired ? stabilizedReason : READY;
  const rated = rateLimit(history, { ...input, desired: recommendation }, up, down);
  return { replicas: rated.replicas, ableToScale, scalingLimited: limited(rated.replicas, recommendation, rated) };
}

/** stabilizeRecommendationWithBehaviors: the current count moved only as far as every recent recommendation agrees. */
function stabilizeWithBehavior(history: HpaHistory, input: NormalizeInput, up: ScalingRules, down: ScalingRules) {
  const { now, desired, current } = input;
  const upCutoff = now - (up.stabilizationWindowSeconds ?? 0) * 1000;
  const downCutoff = now - (down.stabilizationWindowSeconds ?? DOWNSCALE_STABILIZATION_SECONDS) * 1000;
  let upRecommendation = desired;
  let downRecommendation = desired;
  let oldIndex = -1;
  history.recommendations.forEach((r, i) => {
    if (r.at > upCutoff) upRecommendation = Math.min(upRecommendation, r.replicas);
    if (r.at > downCutoff) downRecommendation = Math.max(downRecommendation, r.replicas);
    if (r.at < upCutoff && r.at < downCutoff) oldIndex = i;
  });
  const recommendation = Math.min(Math.max(current, upRecommendation), downRecommendation);
  remember(history, desired, now, oldIndex);
  return { recommendation, stabilizedReason: desired >= current ? UP_STABILIZED : DOWN_STABILIZED };
}

/** getReplicasChangePerPeriod. */
function changeIn(events: readonly ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.at > cutoff ? sum + e.change : sum), 0);
}

/** calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors. */
export function policyLimit(
  history: HpaHistory,
  rules: ScalingRules,
  current: number,
  direction: "up" | "down",
  now: number,
): number {
  const select = rules.selectPolicy ?? "Max";
  if (select === "Disabled") return current;
  // For a scale-up the biggest change is the highest count, for a scale-down the lowest.
  const pickHighest = (select === "Max") === (direction === "up");
  let result = pickHighest ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const p of rules.policies ?? []) {
    const start =
      current - changeIn(history.scaleUp, p.periodSeconds, now) + changeIn(history.scaleDown, p.periodSeconds, now);
    let proposed: number;
    if (direction === "up") proposed = p.type === "Pods" ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    else proposed = p.type === "Pods" ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pickHighest ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** convertDesiredReplicasWithBehaviorRate. */
function rateLimit(history: HpaHistory, input: NormalizeInput, up: ScalingRules, down: ScalingRules) {
  const { current, desired, min, max, now } = input;
  if (desired > current) {
    const limit = Math.max(policyLimit(history, up, current, "up", now), current);
    const [ceiling, why] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY];
    if (desired > ceiling) return { replicas: ceiling, ...why };
  } else if (desired < current) {
    const limit = Math.min(policyLimit(history, down, current, "down", now), current);
    const [floor, why] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW];
    if (desired < floor) return { replicas: floor, ...why };
  }
  return { replicas: desired, ...IN_RANGE };
}

function longestPeriod(rules: ScalingRules | undefined): number {
  return Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds));
}

/** storeScaleEvent: remembers a rescale for the policies' periods (only with a behavior, as upstream). */
export function recordScale(
  history: HpaHistory,
  behavior: Behavior | undefined,
  from: number,
  to: number,
  now: number,
) {
  if (!behavior || from === to) return;
  const up = to > from;
  const events = up ? history.scaleUp : history.scaleDown;
  const cutoff = now - longestPeriod(up ? behavior.scaleUp : behavior.scaleDown) * 1000;
  for (const e of events) if (e.at < cutoff) e.outdated = true;
  const event = { change: Math.abs(to - from), at: now, outdated: false };
  const reuse = events.findIndex((e) => e.outdated);
  if (reuse >= 0) events[reuse] = event;
  else events.push(event);
}
