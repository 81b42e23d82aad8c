// The node lifecycle controller on real Durable Object SQLite: a node that stops syncing turns Ready
// Unknown once the grace period has passed, a syncing one stays Ready, and without nodes no alarm is due.
import { describe, expect, it } from "vitest";
import type { AgentNodeStatus, JoinRequest } from "../../../kube/agent-protocol.ts";
import type { ApiContext } from "../context.ts";
import { Credentials } from "../auth/credentials.ts";
import { createObject } from "../writes/create.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { updateObject } from "../writes/update.ts";
import { NodeLifecycleController } from "../controllers/node-lifecycle.ts";
import { TaintEvictionController } from "../controllers/taint-eviction.ts";
import { kindIndex } from "../registry/index.ts";
import { type ClockedRunner, withClockedRunner } from "../testing/clocked-runner.ts";
import { NodeAgents } from "./agents.ts";
import { NODE_MONITOR_GRACE_MS } from "./heartbeat.ts";

const joinRequest = (nodeName: string): JoinRequest => ({
  nodeName,
  capacity: { cpu: "2", memory: "4Gi", pods: "110" },
  allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
  nodeInfo: { operatingSystem: "linux", architecture: "amd64" } as JoinRequest["nodeInfo"],
  addresses: [{ type: "InternalIP", address: "10.0.0.5" }],
  labels: {},
});

const ready: AgentNodeStatus = {
  ...joinRequest("x"),
  conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
} as AgentNodeStatus;

interface Setup extends ClockedRunner {
  agents: NodeAgents;
  join(name: string): Promise<string>;
  sync(name: string, credential: string): Promise<void>;
  readyOf(name: string): string;
}

const body = (name: string) => ({ nodeName: name, nodeStatus: ready, podStatuses: [], terminated: [], known: [] });

function withCluster(fn: (s: Setup) => Promise<void>): Promise<void> {
  return withClockedRunner(async (ctx, db) => {
    const credentials = new Credentials(db);
    const join = await credentials.issue("join", Date.now());
    const agents = new NodeAgents(ctx, credentials, db);
    return {
      controllers: [new NodeLifecycleController(ctx, agents), new TaintEvictionController(ctx)],
      extra: {
        agents,
        join: async (name: string) => (await agents.join(join.token, joinRequest(name))).nodeCredential,
        sync: async (name: string, credential: string) => void (await agents.sync(credential, body(name))),
        readyOf: (name: string) =>
          ctx.store
            .get("nodes", undefined, name)!
            .object.status.conditions.find((c: { type: string }) => c.type === "Ready").status,
      },
    };
  }, fn);
}

describe("node lifecycle controller", () => {
  it("arms nothing while the cluster has no nodes", async () => {
    await withCluster(async ({ armed, runner }) => {
      expect(armed()).toBeNull();
      expect(runner.tick().next).toBeNull();
    });
  });

  it("turns a node that stopped syncing Ready=Unknown after the grace period; a syncing node stays Ready", async () => {
    await withCluster(async ({ ctx, armed, advance, runner, join, sync, readyOf }) => {
      const quiet = await join("quiet");
      const busy = await join("busy");
      await sync("quiet", quiet);
      await sync("busy", busy);
      expect(readyOf("quiet")).toBe("True");
      advance(25); // past the batch delay of the node changes
      runner.tick();
      // Armed for the earliest lease deadline: the grace after the last renewal.
      const deadline = armed()!;
      expect(deadline - ctx.now()).toBeGreaterThan(NODE_MONITOR_GRACE_MS - 1_000);
      expect(deadline - ctx.now()).toBeLessThanOrEqual(NODE_MONITOR_GRACE_MS + 1);

      advance(NODE_MONITOR_GRACE_MS - 5_000);
      await sync("busy", busy); // only "busy" keeps renewing
      advance(deadline - ctx.now());
      runner.tick();
      expect(readyOf("quiet")).toBe("Unknown");
      expect(readyOf("busy")).toBe("True");
      const reason = ctx.store.get("nodes", undefined, "quiet")!.object.status.conditions[0].reason;
      expect(reason).toBe("NodeStatusUnknown");

      // Next due: the Unknown write's batch, then the busy node's own deadline, and nothing once it is quiet too.
      advance(25);
      runner.tick();
      expect(armed()! - ctx.now()).toBeGreaterThan(1_000);
      advance(armed()! - ctx.now());
      runner.tick();
      expect(readyOf("busy")).toBe("Unknown");
      advance(25);
      // Nothing due any more (the runner leaves the spent alarm unarmed).
      expect(runner.tick().next).toBeNull();

      // A node that comes back turns Ready again and is watched again.
      await sync("quiet", quiet);
      expect(readyOf("quiet")).toBe("True");
      advance(25);
      runner.tick();
      expect(armed()).not.toBeNull();
    });
  });
});

describe("node taints and taint eviction", () => {
  const taintsOf = (ctx: ApiContext, name: string) =>
    (ctx.store.get("nodes", undefined, name)!.object.spec?.taints ?? []).map(
      (t: { key: string; effect: string }) => `${t.key}:${t.effect}`,
    );
  const podOn = (ctx: ApiContext, name: string, node: string, tolerations?: unknown[]) =>
    createObject(
      ctx,
      kindIndex.byResource("pods")!,
      "default",
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: {
          nodeName: node,
          containers: [{ name: "c", image: "busybox" }],
          ...(tolerations ? { tolerations } : {}),
        },
      },
      SYSTEM_WRITE,
    );

  it("taints a silent node unreachable, evicts pods after their tolerationSeconds, keeps a pod tolerating forever, and clears the taints when the node returns", async () => {
    await withCluster(async ({ ctx, advance, runner, join, sync }) => {
      ctx.settings = { nodeMonitorGracePeriodSeconds: 50, defaultTolerationSeconds: 60 };
      createObject(
        ctx,
        kindIndex.byResource("namespaces")!,
        undefined,
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } },
        SYSTEM_WRITE,
      );
      const credential = await join("n1");
      await sync("n1", credential);
      const defaulted = podOn(ctx, "defaulted", "n1");
      expect(defaulted.spec.tolerations).toContainEqual({
        key: "node.kubernetes.io/unreachable",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 60,
      });
      podOn(ctx, "forever", "n1", [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }]);
      podOn(ctx, "intolerant", "n1", [
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 0 },
      ]);
      const pod = (name: string) => ctx.store.get("pods", "default", name)?.object;
      advance(25);
      runner.tick();
      expect(taintsOf(ctx, "n1")).toEqual([]);

      advance(50_000 + 1_000);
      runner.tick(); // Unknown + taints
      advance(25);
      runner.tick(); // the taint eviction controller sees the taints
      expect(taintsOf(ctx, "n1")).toEqual([
        "node.kubernetes.io/unreachable:NoSchedule",
        "node.kubernetes.io/unreachable:NoExecute",
      ]);
      expect(pod("intolerant")?.metadata.deletionTimestamp).toBeTruthy();
      expect(pod("defaulted")?.metadata.deletionTimestamp).toBeUndefined();

      advance(30_000);
      runner.tick();
      expect(pod("defaulted")?.metadata.deletionTimestamp).toBeUndefined();
      advance(31_000);
      runner.tick();
      const evicted = pod("defaulted")!;
      expect(evicted.metadata.deletionTimestamp).toBeTruthy();
      expect(evicted.status.conditions).toContainEqual(
        expect.objectContaining({ type: "DisruptionTarget", status: "True", reason: "DeletionByTaintManager" }),
      );
      const events = ctx.store.list("events", "default").map((e) => e.object);
      expect(events).toContainEqual(
        expect.objectContaining({
          reason: "TaintManagerEviction",
          message: "Marking for deletion Pod default/defaulted",
        }),
      );
      expect(pod("forever")?.metadata.deletionTimestamp).toBeUndefined();

      // The node comes back: Ready again, its taints are gone.
      await sync("n1", credential);
      advance(25);
      runner.tick();
      expect(taintsOf(ctx, "n1")).toEqual([]);
    });
  });

  it("adds the unschedulable taint to a cordoned node and removes it on uncordon", async () => {
    await withCluster(async ({ ctx, advance, runner, join, sync }) => {
      const credential = await join("n2");
      await sync("n2", credential);
      const nodes = kindIndex.byResource("nodes")!;
      const cordon = (unschedulable: boolean) => {
        const node = structuredClone(ctx.store.get("nodes", undefined, "n2")!.object);
        node.spec = { ...node.spec, unschedulable };
        updateObject(ctx, nodes, { name: "n2" }, node, SYSTEM_WRITE);
        advance(25);
        runner.tick();
      };
      cordon(true);
      expect(taintsOf(ctx, "n2")).toEqual(["node.kubernetes.io/unschedulable:NoSchedule"]);
      cordon(false);
      expect(taintsOf(ctx, "n2")).toEqual([]);
    });
  });
});
