// The HorizontalPodAutoscaler against a simulated node whose pods report scripted usage (the
// sim.flotilla.dev/usage annotation): the replica counts follow upstream's algorithm step by step —
// doubling while every pod uses 200% of its request, clamped at maxReplicas with ScalingLimited, and
// back down after the stabilization window once usage drops. Also: `kubectl logs` of a simulated pod.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./harness.ts";
import { until } from "./poll.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

const USAGE = "sim.flotilla.dev/usage";

const deployment = (cpu: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "load" },
  spec: {
    selector: { matchLabels: { app: "load" } },
    template: {
      metadata: { labels: { app: "load" }, annotations: { [USAGE]: JSON.stringify({ cpu }) } },
      spec: {
        containers: [{ name: "app", image: "busybox:stable", resources: { requests: { cpu: "100m" } } }],
      },
    },
  },
});

const autoscaler = {
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "load" },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "load" },
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 15 } },
  },
};

describe("autoscaling with scripted usage on a simulated node", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.flotilla.startAgent({ name: "sim", runtime: "simulated" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const hpa = async (): Promise<Json> => JSON.parse((await h.kubectl(["get", "hpa", "load", "-o", "json"])).stdout);

  /** Desired replica counts as they change, until `done` holds for the HPA. */
  async function follow(done: (o: Json) => boolean, timeoutMs: number): Promise<{ steps: number[]; last: Json }> {
    const steps: number[] = [];
    const last = await until(
      "the autoscaler",
      async () => {
        const o = await hpa();
        const desired = o.status?.desiredReplicas;
        // 0 until the first computation succeeds (no metrics yet), as upstream leaves it.
        if (desired && steps.at(-1) !== desired) steps.push(desired);
        return done(o) ? o : undefined;
      },
      timeoutMs,
      1_000,
    );
    return { steps, last };
  }

  it("a simulated pod has a log that says what it is", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(deployment("200m")) });
    await until("a running pod", async () => {
      const pods = JSON.parse((await h.kubectl(["get", "pods", "-l", "app=load", "-o", "json"])).stdout).items;
      return pods.some((p: Json) => p.status?.phase === "Running") ? true : undefined;
    });
    const logs = await h.kubectl(["logs", "deployment/load"]);
    expect(logs.stdout).toMatch(/^simulated container .+: running \(a simulated node runs no processes\)$/m);
  });

  it("doubles at 200% of request, stops at maxReplicas, and comes back down after the window", async () => {
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(autoscaler) });
    const up = await follow((o) => o.status?.desiredReplicas === 4 && o.status?.currentReplicas === 4, 150_000);
    // ceil(1 × 200/50) = 4 would be one step; upstream's default scale-up limit per 15 s is max(+4 pods, +100%),
    // and missing metrics of new pods count as 0% while scaling up, so the counts go 1 → 4 or 1 → 2 → 4.
    expect(up.steps[0]).toBeGreaterThanOrEqual(1);
    expect(up.steps.at(-1)).toBe(4);
    expect(up.steps).toEqual([...up.steps].sort((a, b) => a - b));
    const limited = await until("ScalingLimited at maxReplicas", async () => {
      const o = await hpa();
      const c = o.status?.conditions?.find((x: Json) => x.type === "ScalingLimited");
      return c?.status === "True" ? c : undefined;
    });
    expect(limited.reason).toBe("TooManyReplicas");
    expect((await h.kubectl(["get", "hpa", "load"])).stdout).toMatch(
      /load\s+Deployment\/load\s+cpu: 200%\/50%\s+1\s+4\s+4/,
    );

    // 20% of request: ceil(4 × 20/50) = 2, then ceil(2 × 20/50) = 1, each after the 15 s window.
    await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(deployment("20m")) });
    const downAt = Date.now();
    const down = await follow((o) => o.status?.desiredReplicas === 1, 180_000);
    expect(Date.now() - downAt).toBeGreaterThan(15_000);
    expect(down.steps.at(-1)).toBe(1);
    expect(down.steps).toEqual([...down.steps].sort((a, b) => b - a));
    const events = (await h.kubectl(["get", "events", "--field-selector", "involvedObject.name=load"])).stdout;
    expect(events).toMatch(
      /SuccessfulRescale\s+horizontalpodautoscaler\/load\s+New size: 4; reason: cpu resource utilization \(percentage of request\) above target/,
    );
    expect(events).toMatch(/New size: 1; reason: All metrics below target/);
  });
});
