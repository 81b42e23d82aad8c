// The node lifecycle controller on real Durable Object SQLite: a node that stops syncing turns Ready
// Unknown once the grace period has passed, a syncing one stays Ready, and without nodes no alarm is due.
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it } from "vitest";
import type { AgentNodeStatus, JoinRequest } from "../../../kube/agent-protocol.ts";
import migrations from "../../../migrations/cluster/migrations.js";
import type { ApiContext } from "../api/context.ts";
import { Credentials } from "../auth/credentials.ts";
import { NodeLifecycleController } from "../controllers/node-lifecycle.ts";
import { Runner } from "../controllers/runner.ts";
import { kindIndex } from "../registry/index.ts";
import { ObjectStore } from "../store/object-store.ts";
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

interface Setup {
  ctx: ApiContext;
  agents: NodeAgents;
  runner: Runner;
  /** What the runner armed the alarm for last. */
  armed(): number | null;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
  join(name: string): Promise<string>;
  sync(name: string, credential: string): Promise<void>;
  readyOf(name: string): string;
}

async function withCluster(fn: (s: Setup) => Promise<void>): Promise<void> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    let offset = 0;
    const store = new ObjectStore(db, state.storage, 100);
    const ctx: ApiContext = { store, kinds: kindIndex, now: () => Date.now() + offset };
    const credentials = new Credentials(db);
    const join = await credentials.issue("join", Date.now());
    const agents = new NodeAgents(ctx, credentials, db);
    let armed: number | null = null;
    const runner = new Runner([new NodeLifecycleController(ctx, agents)], {
      now: ctx.now,
      alarm: {
        arm: (at) => {
          armed = at;
        },
      },
    });
    runner.follow((listener) => store.onChange(listener));
    runner.start();
    const body = (name: string) => ({ nodeName: name, nodeStatus: ready, podStatuses: [], terminated: [], known: [] });
    await fn({
      ctx,
      agents,
      runner,
      armed: () => armed,
      advance: (ms) => {
        offset += ms;
      },
      join: async (name) => (await agents.join(join.token, joinRequest(name))).nodeCredential,
      sync: async (name, credential) => void (await agents.sync(credential, body(name))),
      readyOf: (name) =>
        store.get("nodes", undefined, name)!.object.status.conditions.find((c: { type: string }) => c.type === "Ready")
          .status,
    });
  });
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
