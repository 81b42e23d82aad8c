import { describe, expect, it } from "vitest";
import { Framework } from "./framework.ts";
import { defaultPlugins } from "./plugins/index.ts";
import { preempt } from "./preemption.ts";
import { testCache, testPod } from "./test-helpers.ts";

const prio = (name: string, priority: number, cpu: string, created?: number) => ({
  ...testPod(name, { cpu, created }),
  priority,
});

describe("preemption", () => {
  it("evicts the fewest, least important pods on the best node", () => {
    const cache = testCache(
      [
        { name: "a", cpu: "2" },
        { name: "b", cpu: "2" },
      ],
      {
        a: [prio("a-mid", 500, "1"), prio("a-low", 0, "1")],
        b: [prio("b-high", 900, "1"), prio("b-low", 0, "1")],
      },
    );
    const fw = new Framework(defaultPlugins, cache);
    const pod = prio("urgent", 1000, "1");
    const attempt = fw.schedule(pod);
    expect(attempt.node).toBeUndefined();
    if (attempt.node) return;
    const result = preempt(fw, pod, attempt.statuses);
    // Both nodes free room by evicting one priority-0 pod; ties go to the first candidate.
    expect(result.candidate?.victims.map((v) => v.name)).toEqual([
      result.candidate?.nodeName === "a" ? "a-low" : "b-low",
    ]);
    expect(result.message).toBe("");
  });

  it("reports why preemption cannot help, per node", () => {
    const cache = testCache(
      [
        { name: "a", cpu: "1" },
        { name: "b", cpu: "1", unschedulable: true },
      ],
      {
        a: [prio("a-same", 1000, "1")],
      },
    );
    const fw = new Framework(defaultPlugins, cache);
    const pod = prio("p", 1000, "1");
    const attempt = fw.schedule(pod);
    if (attempt.node) throw new Error("should not fit");
    expect(preempt(fw, pod, attempt.statuses).message).toBe(
      "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
    );
  });

  it("does not preempt for a pod with preemptionPolicy Never", () => {
    const cache = testCache([{ name: "a", cpu: "1" }], { a: [prio("low", 0, "1")] });
    const fw = new Framework(defaultPlugins, cache);
    const pod = { ...prio("p", 1000, "1"), preemptionPolicy: "Never" };
    const attempt = fw.schedule(pod);
    if (attempt.node) throw new Error("should not fit");
    expect(preempt(fw, pod, attempt.statuses)).toEqual({
      message: "preemption: not eligible due to preemptionPolicy=Never.",
    });
  });
});
