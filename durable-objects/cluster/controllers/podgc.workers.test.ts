// The pod garbage collector on real Durable Object SQLite, driven by the runner with an injected clock:
// pods bound to a node that does not exist go after the quarantine (Failed, DisruptionTarget
// DeletionByPodGC), whether deleted or not; a node that appears in time keeps its pods; terminating pods
// on an out-of-service node go at once; and the alarm is armed only while a quarantine runs.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../kube/types.ts";
import { createObject } from "../writes/create.ts";
import { deleteObject } from "../writes/delete.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { updateObject } from "../writes/update.ts";
import { kindIndex } from "../registry/index.ts";
import type { Change } from "../store/object-store.ts";
import { QUARANTINE_MS } from "./podgc-plan.ts";
import { PodGCController } from "./podgc.ts";
import { type ClockedRunner, withClockedRunner } from "../testing/clocked-runner.ts";
import { createTestPod } from "../testing/pods.ts";
import { BATCH_DELAY_MS } from "./runner.ts";

interface Setup extends ClockedRunner {
  changes: Change[];
  pod(name: string, nodeName?: string): KubeObject;
  get(name: string): KubeObject | undefined;
}

function withCluster(fn: (s: Setup) => Promise<void>): Promise<void> {
  return withClockedRunner(async (ctx) => {
    createObject(
      ctx,
      kindIndex.byResource("namespaces")!,
      undefined,
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } },
      SYSTEM_WRITE,
    );
    const changes: Change[] = [];
    ctx.store.onChange((c) => changes.push(c));
    const pod = (name: string, nodeName?: string) => createTestPod(ctx, name, nodeName ? { nodeName } : {});
    const get = (name: string) => ctx.store.get("pods", "default", name)?.object;
    return { controllers: [new PodGCController(ctx)], extra: { changes, pod, get } };
  }, fn);
}

const node = (name: string, ready: boolean, taints: unknown[] = []): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name },
  spec: { taints },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "False", reason: "KubeletReady" }] },
});

describe("pod garbage collector", () => {
  it("removes pods bound to a missing node after the quarantine, deleted or not, marked as upstream marks them", async () => {
    await withCluster(async ({ ctx, runner, armed, advance, changes, pod, get }) => {
      pod("orphan", "foo-node");
      pod("deleted", "foo-node");
      deleteObject(ctx, kindIndex.byResource("pods")!, "default", "deleted", { ...SYSTEM_WRITE });
      expect(get("deleted")?.metadata.deletionTimestamp).toBeTruthy(); // bound: graceful, nothing finishes it

      advance(BATCH_DELAY_MS);
      runner.tick();
      expect(get("orphan")).toBeTruthy();
      // Armed for the end of the quarantine only.
      const due = armed();
      expect(due).not.toBeNull();
      expect(due! - ctx.now()).toBeGreaterThan(QUARANTINE_MS - 1_000);
      expect(due! - ctx.now()).toBeLessThanOrEqual(QUARANTINE_MS);

      advance(due! - ctx.now());
      runner.tick();
      expect(get("orphan")).toBeUndefined();
      expect(get("deleted")).toBeUndefined();
      const marked = changes.find((c) => c.type === "MODIFIED" && c.entry.object.metadata.name === "orphan");
      expect(marked?.entry.object.status).toMatchObject({
        phase: "Failed",
        conditions: [
          {
            type: "DisruptionTarget",
            status: "True",
            reason: "DeletionByPodGC",
            message: "PodGC: node no longer exists",
          },
        ],
      });
      advance(BATCH_DELAY_MS);
      expect(runner.tick().next).toBeNull();
    });
  });

  it("keeps pods of a node that joins within the quarantine, and arms nothing for pods on real nodes", async () => {
    await withCluster(async ({ ctx, runner, advance, pod, get }) => {
      createObject(ctx, kindIndex.byResource("nodes")!, undefined, node("real", true), SYSTEM_WRITE);
      pod("fine", "real");
      pod("early", "late-node");
      advance(BATCH_DELAY_MS);
      runner.tick();
      advance(QUARANTINE_MS / 2);
      createObject(ctx, kindIndex.byResource("nodes")!, undefined, node("late-node", true), SYSTEM_WRITE);
      advance(QUARANTINE_MS);
      runner.tick();
      expect(get("early")).toBeTruthy();
      expect(get("fine")).toBeTruthy();
      advance(BATCH_DELAY_MS);
      expect(runner.tick().next).toBeNull();
    });
  });

  it("removes terminating pods of a NotReady node tainted out-of-service at once", async () => {
    await withCluster(async ({ ctx, runner, advance, pod, get }) => {
      const n = createObject(ctx, kindIndex.byResource("nodes")!, undefined, node("dead", false), SYSTEM_WRITE);
      pod("running", "dead");
      pod("stopping", "dead");
      deleteObject(ctx, kindIndex.byResource("pods")!, "default", "stopping", { ...SYSTEM_WRITE });
      advance(BATCH_DELAY_MS);
      runner.tick();
      expect(get("stopping")?.metadata.deletionTimestamp).toBeTruthy();
      const taint = { key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" };
      updateObject(
        ctx,
        kindIndex.byResource("nodes")!,
        { name: "dead" },
        { ...n, spec: { taints: [taint] } },
        SYSTEM_WRITE,
      );
      advance(BATCH_DELAY_MS);
      runner.tick();
      expect(get("stopping")).toBeUndefined();
      expect(get("running")).toBeTruthy();
    });
  });
});
