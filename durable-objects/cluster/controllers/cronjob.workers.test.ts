// CronJobs on a real store inside a Durable Object, with a clock the test moves: the controller
// is driven key by key, as the runner would at the times it asks for. Validation goes through
// the real API.
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import migrations from "../../../migrations/cluster/migrations.js";
import { type ApiContext, timestamp } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { updateObject } from "../writes/update.ts";
import { kindIndex } from "../registry/index.ts";
import { ObjectStore } from "../store/object-store.ts";
import { newCluster } from "../testing/cluster-client.ts";
import { CronJobController } from "./cronjob.ts";
import type { Json } from "./workers-helpers.ts";

const T0 = Date.parse("2024-05-01T10:00:30Z");
const KEY = "cronjobs.batch/default/tick";

interface World {
  ctx: ApiContext;
  clock: { now: number };
  controller: CronJobController;
  jobs(): KubeObject[];
  events(): string[];
  /** What a finished job looks like (the job controller's terminal status). */
  finishJob(name: string, type: "Complete" | "Failed", at: number): void;
}

async function withWorld(fn: (w: World) => void): Promise<void> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    const clock = { now: T0 };
    const ctx: ApiContext = { store: new ObjectStore(db, state.storage, 1000), kinds: kindIndex, now: () => clock.now };
    const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } };
    createObject(ctx, kindIndex.byResource("namespaces")!, undefined, namespace, SYSTEM_WRITE);
    const jobsKind = kindIndex.byResource("jobs.batch")!;
    fn({
      ctx,
      clock,
      controller: new CronJobController(ctx),
      jobs: () => ctx.store.list("jobs.batch", "default").map((e) => e.object),
      events: () => ctx.store.list("events", "default").map((e) => `${e.object.reason}: ${e.object.message}`),
      finishJob(name, type, at) {
        const job = ctx.store.get("jobs.batch", "default", name)!.object;
        const time = timestamp(at);
        const cond = { type, status: "True", lastProbeTime: time, lastTransitionTime: time };
        const status = {
          startTime: time,
          conditions: [cond],
          ...(type === "Complete" ? { completionTime: time } : {}),
        };
        updateObject(
          ctx,
          jobsKind,
          { namespace: "default", name, subresource: "status" },
          { ...job, status },
          SYSTEM_WRITE,
        );
      },
    });
  });
}

function cronJob(spec: Json = {}): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "tick", namespace: "default" },
    spec: {
      schedule: "*/5 * * * *",
      jobTemplate: {
        metadata: { labels: { app: "tick" } },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
      },
      ...spec,
    },
  };
}

const create = (w: World, spec: Json = {}) =>
  createObject(w.ctx, kindIndex.byResource("cronjobs.batch")!, "default", cronJob(spec), SYSTEM_WRITE);
const status = (w: World) => w.ctx.store.getByKey(KEY)!.object.status;
const minute = (iso: string) => Date.parse(iso) / 60_000;

describe("cronjob controller", () => {
  it("creates a job at each schedule time and asks to wake just after the next", async () => {
    await withWorld((w) => {
      create(w);
      // Nothing due before 10:05: no job, wake at 10:05:00.100.
      expect(w.controller.reconcile(KEY)).toEqual({ requeueAfterMs: Date.parse("2024-05-01T10:05:00.100Z") - T0 });
      expect(w.jobs()).toHaveLength(0);
      w.clock.now = Date.parse("2024-05-01T10:05:00.100Z");
      expect(w.controller.reconcile(KEY)).toEqual({ requeueAfterMs: 300_000 });
      const [job] = w.jobs();
      expect(job.metadata.name).toBe(`tick-${minute("2024-05-01T10:05:00Z")}`);
      expect(job.metadata.labels).toMatchObject({ app: "tick" });
      expect(job.metadata.annotations).toMatchObject({
        "batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-05-01T10:05:00Z",
      });
      expect(job.metadata.ownerReferences).toMatchObject([{ kind: "CronJob", name: "tick", controller: true }]);
      expect(status(w)).toMatchObject({
        lastScheduleTime: "2024-05-01T10:05:00Z",
        active: [{ kind: "Job", name: job.metadata.name, uid: job.metadata.uid, apiVersion: "batch/v1" }],
      });
      // Reconciling again at the same time makes no second job (the name is the lock).
      w.controller.reconcile(KEY);
      expect(w.jobs()).toHaveLength(1);
      expect(w.events()).toContain(`SuccessfulCreate: Created job ${job.metadata.name}`);
      // The job completes: it leaves the active list and sets lastSuccessfulTime.
      w.clock.now += 60_000;
      w.finishJob(job.metadata.name!, "Complete", w.clock.now);
      w.controller.reconcile(KEY);
      expect(status(w).active).toBeUndefined();
      expect(status(w).lastSuccessfulTime).toBe("2024-05-01T10:06:00Z");
      expect(w.events()).toContain(`SawCompletedJob: Saw completed job: ${job.metadata.name}, condition: Complete`);
    });
  });

  it("keeps successfulJobsHistoryLimit and failedJobsHistoryLimit, deleting the oldest", async () => {
    await withWorld((w) => {
      create(w, { successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
      const outcomes = ["Complete", "Failed", "Complete", "Failed", "Complete"] as const;
      outcomes.forEach((type, i) => {
        w.clock.now = Date.parse("2024-05-01T10:05:00.100Z") + i * 300_000;
        w.controller.reconcile(KEY);
        const name = `tick-${Math.floor(w.clock.now / 300_000) * 5}`;
        w.finishJob(name, type, w.clock.now + 1000);
        w.clock.now += 2000;
        w.controller.reconcile(KEY);
      });
      const left = w.jobs().map((j) => [j.metadata.name, j.status?.conditions?.[0]?.type]);
      expect(left).toEqual([
        [`tick-${minute("2024-05-01T10:15:00Z")}`, "Complete"],
        [`tick-${minute("2024-05-01T10:20:00Z")}`, "Failed"],
        [`tick-${minute("2024-05-01T10:25:00Z")}`, "Complete"],
      ]);
      expect(w.events().filter((e) => e.startsWith("SuccessfulDelete: Deleted job tick-"))).toHaveLength(2);
    });
  });

  it("Forbid skips a time while a job runs; Replace deletes the running job", async () => {
    await withWorld((w) => {
      create(w, { concurrencyPolicy: "Forbid" });
      w.clock.now = Date.parse("2024-05-01T10:05:00.100Z");
      w.controller.reconcile(KEY);
      w.clock.now = Date.parse("2024-05-01T10:10:00.100Z");
      w.controller.reconcile(KEY);
      expect(w.jobs()).toHaveLength(1);
      expect(w.events()).toContain(
        "JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid",
      );
      const cj = w.ctx.store.getByKey(KEY)!.object;
      const kind = kindIndex.byResource("cronjobs.batch")!;
      const next = { ...cj, spec: { ...cj.spec, concurrencyPolicy: "Replace" } };
      updateObject(w.ctx, kind, { namespace: "default", name: "tick" }, next, SYSTEM_WRITE);
      w.controller.reconcile(KEY);
      expect(w.jobs().map((j) => j.metadata.name)).toEqual([`tick-${minute("2024-05-01T10:10:00Z")}`]);
      expect(status(w).active).toHaveLength(1);
      expect(w.events()).toContain(`SuccessfulDelete: Deleted job tick-${minute("2024-05-01T10:05:00Z")}`);
    });
  });

  it("suspend, startingDeadlineSeconds and too many missed times", async () => {
    await withWorld((w) => {
      create(w, { suspend: true });
      w.clock.now = Date.parse("2024-05-01T10:05:00.100Z");
      expect(w.controller.reconcile(KEY)).toBeUndefined();
      expect(w.jobs()).toHaveLength(0);
    });
    await withWorld((w) => {
      create(w, { startingDeadlineSeconds: 10 });
      w.clock.now = Date.parse("2024-05-01T10:05:30Z"); // 30 s late for 10:05
      w.controller.reconcile(KEY);
      expect(w.jobs()).toHaveLength(0);
      // As upstream: the deadline bounds how far back times are looked for, so 10:05 is not seen at all.
      expect(w.events()).toEqual([]);
    });
    await withWorld((w) => {
      create(w, { startingDeadlineSeconds: 120 });
      w.clock.now = Date.parse("2024-05-01T10:05:30Z");
      w.controller.reconcile(KEY);
      expect(w.jobs()).toHaveLength(1); // within the deadline
    });
    await withWorld((w) => {
      create(w, { schedule: "* * * * *" });
      w.clock.now = T0 + 3 * 3_600_000; // 180 missed minutes
      w.controller.reconcile(KEY);
      expect(w.events()).toContain(
        "TooManyMissedTimes: too many missed start times: 180. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
      );
      expect(w.jobs()).toHaveLength(1); // still starts the most recent one
      expect(status(w).lastScheduleTime).toBe("2024-05-01T13:00:00Z");
    });
  });

  it("schedules in spec.timeZone", async () => {
    await withWorld((w) => {
      create(w, { schedule: "0 9 * * *", timeZone: "America/New_York" });
      const wake = w.controller.reconcile(KEY)!.requeueAfterMs!;
      expect(new Date(T0 + wake).toISOString()).toBe("2024-05-01T13:00:00.100Z");
      w.clock.now = T0 + wake;
      w.controller.reconcile(KEY);
      expect(w.jobs()[0].metadata.annotations).toMatchObject({
        "batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-05-01T09:00:00-04:00",
      });
    });
  });
});

describe("cronjob validation through the API", () => {
  it.each([
    ["bad", undefined, 'spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]'],
    ["* * * * 7", undefined, 'spec.schedule: Invalid value: "* * * * 7": end of range (7) above maximum (6): 7'],
    ["* * * * *", "Mars/Olympus", 'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'],
  ])("schedule %j, timeZone %j → 422 %s", async (schedule, timeZone, message) => {
    const c = await newCluster();
    const body = cronJob({ schedule, ...(timeZone ? { timeZone } : {}) });
    const res = await c.request("POST", "/apis/batch/v1/namespaces/default/cronjobs", body);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(`CronJob.batch "tick" is invalid: ${message}`);
  });
});
