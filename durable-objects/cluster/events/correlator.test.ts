import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { COMBINED_PREFIX, EventCorrelator } from "./correlator.ts";

const rs = (name: string): KubeObject =>
  ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "default", uid: `uid-${name}` },
  }) as KubeObject;

describe("EventCorrelator (client-go's defaults)", () => {
  it("combines similar events from the 10th different message, and lets 25 through per object", () => {
    const c = new EventCorrelator("replicaset-controller");
    const out = Array.from({ length: 30 }, (_, i) =>
      c.correlate(rs("web"), "Normal", "SuccessfulCreate", `Created pod: web-${i}`, 1_000),
    );
    expect(out.slice(0, 9).map((e) => e?.message)).toEqual(
      Array.from({ length: 9 }, (_, i) => `Created pod: web-${i}`),
    );
    expect(out[9]?.message).toBe(`${COMBINED_PREFIX}Created pod: web-9`);
    // Combined events count on one stored event.
    expect(new Set(out.slice(9, 25).map((e) => e?.countKey)).size).toBe(1);
    expect(out.slice(25)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    // The bucket refills one event every 5 minutes; another object has its own.
    expect(c.correlate(rs("web"), "Normal", "SuccessfulCreate", "Created pod: x", 1_000 + 299_000)).toBeUndefined();
    expect(c.correlate(rs("web"), "Normal", "SuccessfulCreate", "Created pod: y", 1_000 + 301_000)).toBeDefined();
    expect(c.correlate(rs("api"), "Normal", "SuccessfulCreate", "Created pod: api-0", 1_000)?.message).toBe(
      "Created pod: api-0",
    );
  });

  it("counts a repeated message on its own event, and starts over after 10 quiet minutes", () => {
    const c = new EventCorrelator("deployment-controller");
    const a = c.correlate(rs("web"), "Normal", "ScalingReplicaSet", "Scaled up", 0);
    const b = c.correlate(rs("web"), "Normal", "ScalingReplicaSet", "Scaled up", 10);
    expect(a).toEqual(b);
    for (let i = 0; i < 9; i++) c.correlate(rs("w2"), "Warning", "FailedCreate", `error ${i}`, 0);
    expect(c.correlate(rs("w2"), "Warning", "FailedCreate", "error 9", 0)?.message).toContain(COMBINED_PREFIX);
    expect(c.correlate(rs("w2"), "Warning", "FailedCreate", "error 10", 601_000)?.message).toBe("error 10");
  });
});
