// The HPA controller on real Durable Object SQLite: a deployment and its pods, usage fed through
// ctx.metrics (the reader the agent sync fills), reconciles driven directly with a controlled clock.
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it } from "vitest";
import { StatusError } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import migrations from "../../../migrations/cluster/migrations.js";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import type { MetricsReader, PodMetricsSample } from "../metrics/window.ts";
import { kindIndex } from "../registry/index.ts";
import { ObjectStore } from "../store/object-store.ts";
import { HorizontalPodAutoscalerController } from "./hpa.ts";

const HPA = "horizontalpodautoscalers.autoscaling";
const START = Date.parse("2025-01-01T00:00:00Z");

async function withCluster(fn: (ctx: ApiContext, usage: Map<string, number>, clock: { now: number }) => void) {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_i, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    const store = new ObjectStore(db, state.storage, 100);
    const clock = { now: START + 10 * 60_000 };
    const usage = new Map<string, number>(); // pod → millicores
    const metrics: MetricsReader = {
      podMetrics: (_ns, name): PodMetricsSample | undefined =>
        usage.has(name)
          ? {
              timestamp: clock.now - 1000,
              windowSeconds: 30,
              containers: [{ name: "app", cpuMillicores: usage.get(name)!, memoryBytes: 1 }],
            }
          : undefined,
      nodeMetrics: () => undefined,
    };
    const ctx: ApiContext = { store, kinds: kindIndex, now: () => clock.now, metrics };
    const { object } = store.put(
      "namespaces",
      {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "default", uid: "d" },
        spec: {},
        status: { phase: "Active" },
      },
      "ADDED",
    );
    // Its "default" ServiceAccount, as for a namespace created through the API: pods are admitted with it.
    kindIndex.byResource("namespaces")!.afterCreate?.(ctx, object);
    fn(ctx, usage, clock);
  });
}

const create = (ctx: ApiContext, resource: string, obj: KubeObject) =>
  createObject(ctx, ctx.kinds.byResource(resource)!, "default", obj, SYSTEM_WRITE);

function setup(ctx: ApiContext, request: string | null, pods: number) {
  const container = { name: "app", image: "nginx", ...(request ? { resources: { requests: { cpu: request } } } : {}) };
  create(ctx, "deployments.apps", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas: pods,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [container] } },
    },
  });
  const started = new Date(START).toISOString().replace(".000Z", "Z");
  for (let i = 0; i < pods; i++) {
    const pod = create(ctx, "pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `web-${i}`, labels: { app: "web" } },
      spec: { containers: [container] },
    });
    const status = {
      phase: "Running",
      startTime: started,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: started }],
    };
    ctx.store.put("pods", { ...pod, status }, "MODIFIED");
  }
  return create(ctx, HPA, {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
      ],
    },
  });
}

const events = (ctx: ApiContext) => ctx.store.list("events", "default").map((e) => e.object);
const hpaOf = (ctx: ApiContext) => ctx.store.get(HPA, "default", "web")!.object;
const condition = (o: KubeObject, type: string) => o.status?.conditions?.find((c: { type: string }) => c.type === type);

describe("HPA controller", () => {
  it("scales a deployment up through its scale subresource, with status, conditions and an event", async () => {
    await withCluster((ctx, usage) => {
      setup(ctx, "100m", 2);
      usage.set("web-0", 100).set("web-1", 100); // 100% of request against a 50% target
      const c = new HorizontalPodAutoscalerController(ctx);
      const key = ctx.store.get(HPA, "default", "web")!.key;
      expect(c.reconcile(key)).toEqual({ requeueAfterMs: 15_000 });
      expect(ctx.store.get("deployments.apps", "default", "web")!.object.spec?.replicas).toBe(4);
      const hpa = hpaOf(ctx);
      expect(hpa.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 4 });
      expect(hpa.status?.currentMetrics).toEqual([
        { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 100, averageValue: "100m" } } },
      ]);
      expect(hpa.status?.lastScaleTime).toBeDefined();
      expect(condition(hpa, "AbleToScale")).toMatchObject({ status: "True", reason: "SucceededRescale" });
      expect(condition(hpa, "ScalingActive")).toMatchObject({ status: "True", reason: "ValidMetricFound" });
      expect(condition(hpa, "ScalingLimited")).toMatchObject({ status: "False", reason: "DesiredWithinRange" });
      expect(events(ctx).map((e) => [e.reason, e.message])).toContainEqual([
        "SuccessfulRescale",
        "New size: 4; reason: cpu resource utilization (percentage of request) above target",
      ]);
    });
  });

  it("a pod without a CPU request gets upstream's condition and events, not a crash", async () => {
    await withCluster((ctx, usage) => {
      setup(ctx, null, 1);
      usage.set("web-0", 100);
      const c = new HorizontalPodAutoscalerController(ctx);
      c.reconcile(ctx.store.get(HPA, "default", "web")!.key);
      expect(ctx.store.get("deployments.apps", "default", "web")!.object.spec?.replicas).toBe(1);
      const why = "failed to get cpu utilization: missing request for cpu in container app of Pod web-0";
      expect(condition(hpaOf(ctx), "ScalingActive")).toMatchObject({
        status: "False",
        reason: "FailedGetResourceMetric",
        message: `the HPA was unable to compute the replica count: ${why}`,
      });
      const seen = events(ctx).map((e) => [e.type, e.reason, e.message]);
      expect(seen).toContainEqual(["Warning", "FailedGetResourceMetric", why]);
      expect(seen).toContainEqual([
        "Warning",
        "FailedComputeMetricsReplicas",
        `invalid metrics (1 invalid out of 1), first error is: ${why}`,
      ]);
    });
  });

  it("refuses maxReplicas below minReplicas with a 422", async () => {
    await withCluster((ctx) => {
      let err: unknown;
      try {
        create(ctx, HPA, {
          apiVersion: "autoscaling/v2",
          kind: "HorizontalPodAutoscaler",
          metadata: { name: "bad" },
          spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, minReplicas: 3, maxReplicas: 2 },
        });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).code).toBe(422);
      expect((err as StatusError).message).toContain(
        "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`",
      );
    });
  });
});
