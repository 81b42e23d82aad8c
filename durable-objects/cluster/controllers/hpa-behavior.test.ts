import { describe, expect, it } from "vitest";
import { type Behavior, emptyHistory, normalize, recordScale } from "./hpa-behavior.ts";

const T0 = 1_000_000_000;
const s = (seconds: number) => T0 + seconds * 1000;

interface Step {
  at: number; // seconds
  desired: number;
  want: number;
  able?: string;
  limited?: [string, string];
}

/** Runs a sequence of syncs as the controller does: normalize, then scale and remember the event. */
function run(steps: Step[], opts: { behavior?: Behavior; min?: number; max?: number; start: number }) {
  const history = emptyHistory();
  let current = opts.start;
  for (const step of steps) {
    const n = normalize(history, {
      behavior: opts.behavior,
      current,
      desired: step.desired,
      min: opts.min ?? 1,
      max: opts.max ?? 100,
      now: s(step.at),
    });
    const label = `at ${step.at}s desired ${step.desired}`;
    expect(n.replicas, label).toBe(step.want);
    if (step.able) expect(n.ableToScale.reason, label).toBe(step.able);
    if (step.limited) expect([n.scalingLimited.status, n.scalingLimited.reason], label).toEqual(step.limited);
    recordScale(history, opts.behavior, current, n.replicas, s(step.at));
    current = n.replicas;
  }
}

const DEFAULT_BEHAVIOR: Behavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Pods", value: 4, periodSeconds: 15 },
      { type: "Percent", value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: { selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
};

describe("without a behavior (legacy rules)", () => {
  it("clamps to min and max with upstream's reasons", () => {
    run(
      [
        { at: 0, desired: 0, want: 2, limited: ["True", "TooFewReplicas"] },
        { at: 15, desired: 7, want: 4, limited: ["True", "ScaleUpLimit"] }, // 2×2 < 4 → 4, under max
        { at: 30, desired: 7, want: 5, limited: ["True", "TooManyReplicas"] }, // 2×4 = 8 > max 5
        { at: 45, desired: 4, want: 5, able: "ScaleDownStabilized" },
      ],
      { min: 2, max: 5, start: 2 },
    );
  });
  it("scales up at most to max(2×current, 4) per sync", () => {
    run(
      [
        { at: 0, desired: 50, want: 4, limited: ["True", "ScaleUpLimit"] },
        { at: 15, desired: 50, want: 8, limited: ["True", "ScaleUpLimit"] },
        // the legacy window keeps the highest recent recommendation (50), still rate-limited
        { at: 30, desired: 10, want: 16, able: "ScaleDownStabilized", limited: ["True", "ScaleUpLimit"] },
      ],
      { start: 1 },
    );
  });
  it("holds the highest recommendation of the last 5 minutes before scaling down", () => {
    run(
      [
        { at: 0, desired: 6, want: 6, able: "ReadyForNewScale" },
        { at: 60, desired: 2, want: 6, able: "ScaleDownStabilized" },
        { at: 240, desired: 3, want: 6, able: "ScaleDownStabilized" },
        { at: 301, desired: 2, want: 3, able: "ScaleDownStabilized" },
        { at: 541, desired: 2, want: 2, able: "ReadyForNewScale" },
      ],
      { start: 6 },
    );
  });
});

describe("with a behavior", () => {
  it("default policies: +max(4 pods, 100%) per 15 s, scale-down window 300 s by default", () => {
    run(
      [
        { at: 0, desired: 30, want: 5, limited: ["True", "ScaleUpLimit"] },
        { at: 5, desired: 30, want: 5, limited: ["True", "ScaleUpLimit"] }, // same period: no more room
        { at: 16, desired: 30, want: 10 },
        { at: 32, desired: 30, want: 20 },
        { at: 48, desired: 30, want: 30, limited: ["False", "DesiredWithinRange"] },
        { at: 100, desired: 10, want: 30, able: "ScaleDownStabilized" },
        { at: 349, desired: 10, want: 10 },
      ],
      { behavior: DEFAULT_BEHAVIOR, start: 1 },
    );
  });
  it("scale-up stabilization takes the lowest recent recommendation", () => {
    const behavior: Behavior = {
      ...DEFAULT_BEHAVIOR,
      scaleUp: { ...DEFAULT_BEHAVIOR.scaleUp, stabilizationWindowSeconds: 60 },
    };
    run(
      [
        { at: 0, desired: 3, want: 3 },
        { at: 15, desired: 8, want: 3, able: "ScaleUpStabilized" },
        // the window has passed; the default rate (max(+4 pods, +100%) per 15 s) then caps 3 → 7
        { at: 61, desired: 8, want: 7, limited: ["True", "ScaleUpLimit"] },
        { at: 77, desired: 8, want: 8, limited: ["False", "DesiredWithinRange"] },
      ],
      { behavior, start: 3 },
    );
  });
  it("Pods policy with selectPolicy Min, and Disabled scale-down", () => {
    const behavior: Behavior = {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Min",
        policies: [
          { type: "Pods", value: 1, periodSeconds: 60 },
          { type: "Percent", value: 100, periodSeconds: 60 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Disabled",
        policies: [{ type: "Pods", value: 1, periodSeconds: 15 }],
      },
    };
    run(
      [
        { at: 0, desired: 10, want: 5, limited: ["True", "ScaleUpLimit"] },
        { at: 30, desired: 10, want: 5 }, // the period's one pod is spent
        { at: 61, desired: 10, want: 6 },
        { at: 90, desired: 1, want: 6, limited: ["True", "ScaleDownLimit"] },
      ],
      { behavior, start: 4 },
    );
  });
  it("percent scale-down rounds down and counts earlier scale-downs in the period", () => {
    const behavior: Behavior = {
      scaleUp: DEFAULT_BEHAVIOR.scaleUp,
      scaleDown: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
      },
    };
    run(
      [
        { at: 0, desired: 1, want: 5, limited: ["True", "ScaleDownLimit"] },
        { at: 30, desired: 1, want: 5 },
        { at: 61, desired: 1, want: 2 },
        { at: 122, desired: 1, want: 1, limited: ["False", "DesiredWithinRange"] }, // 50% of 2, rounded down
      ],
      { behavior, start: 10 },
    );
  });
});
