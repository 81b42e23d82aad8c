// The object's side of the agent protocol on real Durable Object SQLite: join, sync, long-poll,
// leases without revision bumps, a node credential confined to its node, graceful deletion finished.
import { describe, expect, it } from "vitest";
import type { AgentNodeStatus } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { createObject } from "../writes/create.ts";
import { deleteObject } from "../writes/delete.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { type AgentsSetup, boundPod as pod, joinRequest, syncRequest as sync, withAgents } from "./testing.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

type Setup = AgentsSetup;

const withCluster = (fn: (s: Setup) => Promise<void>) => withAgents(["default", "kube-node-lease"], fn);

/** Polls a condition (a parked request is reached through I/O turns, not at a known time). */
async function until(condition: () => boolean, turns = 2000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
}

const readyStatus = (status: "True" | "False" = "True"): AgentNodeStatus => ({
  ...joinRequest("x"),
  conditions: [
    {
      type: "Ready",
      status,
      reason: "KubeletReady",
      message: "kubelet is posting ready status",
      lastTransitionTime: "2026-01-01T00:00:00Z",
    },
  ],
});

describe("node agents", () => {
  it("joins with a join token, refuses anything else with a clear message", async () => {
    await withCluster(async ({ ctx, call, joinToken }) => {
      const refused = await call("/agent/join", "wrong", joinRequest("n1"));
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe("the join token is invalid, expired or revoked");
      const joined = await call("/agent/join", joinToken, joinRequest("n1"));
      expect(joined.status).toBe(201);
      expect(joined.body).toMatchObject({ nodeName: "n1", heartbeatSeconds: 10 });
      const node = ctx.store.get("nodes", undefined, "n1")!.object;
      expect(node.metadata.labels).toMatchObject({
        "kubernetes.io/hostname": "n1",
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        zone: "a",
      });
      expect(node.status.capacity.cpu).toBe("2");
      // A node credential cannot join, and a join token cannot sync.
      expect((await call("/agent/join", joined.body.nodeCredential, joinRequest("n2"))).status).toBe(401);
      expect((await call("/agent/sync", joinToken, sync("n1"))).status).toBe(401);
      expect((await call("/agent/join", joinToken, { ...joinRequest("Bad_Name") })).status).toBe(400);
    });
  });

  it("keeps the networks a joining host uses on its Node for node IPAM, and refuses ones that are not CIDRs", async () => {
    await withCluster(async ({ ctx, call, joinToken, dump }) => {
      const before = dump();
      for (const hostSubnets of [["10.88.0.0/16", "not-a-cidr"], Array.from({ length: 257 }, () => "10.0.0.0/8")]) {
        const refused = await call("/agent/join", joinToken, { ...joinRequest("n1"), hostSubnets });
        expect(refused.status).toBe(422);
        expect(refused.body.message).toMatch(/hostSubnets/);
      }
      expect(dump()).toBe(before);
      const subnets = ["10.88.0.0/16", "10.244.3.0/24"];
      expect((await call("/agent/join", joinToken, { ...joinRequest("n1"), hostSubnets: subnets })).status).toBe(201);
      const node = ctx.store.get("nodes", undefined, "n1")!.object;
      expect(node.metadata.annotations).toEqual({ "node.flotilla.dev/host-subnets": "10.88.0.0/16,10.244.3.0/24" });
      // A machine joining again under the name with no such networks drops the note.
      await call("/agent/join", joinToken, joinRequest("n1"));
      expect(ctx.store.get("nodes", undefined, "n1")!.object.metadata.annotations ?? {}).toEqual({});
    });
  });

  it("heartbeats renew the lease without moving the revision; status is written only on transitions", async () => {
    await withCluster(async ({ ctx, call, joinToken, agents }) => {
      const { nodeCredential } = (await call("/agent/join", joinToken, joinRequest("n1"))).body;
      expect((await call("/agent/sync", nodeCredential, sync("n1", { nodeStatus: readyStatus() }))).status).toBe(200);
      const revision = ctx.store.revision;
      const renewed = agents.leases()[0].renewTime;
      await new Promise((r) => setTimeout(r, 5));
      for (let i = 0; i < 3; i++) await call("/agent/sync", nodeCredential, sync("n1", { nodeStatus: readyStatus() }));
      expect(ctx.store.revision).toBe(revision);
      expect(agents.leases()[0].renewTime).toBeGreaterThan(renewed);
      await call("/agent/sync", nodeCredential, sync("n1", { nodeStatus: readyStatus("False") }));
      expect(ctx.store.revision).toBe(revision + 1);
      expect(ctx.store.get("nodes", undefined, "n1")!.object.status.conditions[0].status).toBe("False");
    });
  });

  it("a node credential reaches only its own node and pods", async () => {
    await withCluster(async ({ ctx, call, joinToken }) => {
      const a = (await call("/agent/join", joinToken, joinRequest("a"))).body.nodeCredential;
      await call("/agent/join", joinToken, joinRequest("b"));
      const other = pod(ctx, "on-b", "b");
      const asB = await call("/agent/sync", a, sync("b"));
      expect(asB.status).toBe(403);
      expect(asB.body.message).toBe('node "a" is not allowed to act as node "b"');
      const res = await call(
        "/agent/sync",
        a,
        sync("a", {
          podStatuses: [{ uid: other.metadata.uid!, namespace: "default", name: "on-b", status: { phase: "Failed" } }],
        }),
      );
      expect(res.body.pods).toEqual([]);
      expect(res.body.acknowledged).toEqual({});
      expect(ctx.store.get("pods", "default", "on-b")!.object.status?.phase).not.toBe("Failed");
    });
  });

  it("hands out bound pods with their config maps and secrets, acknowledges status writes, and long-polls", async () => {
    await withCluster(async ({ ctx, call, joinToken }) => {
      const cred = (await call("/agent/join", joinToken, joinRequest("n1"))).body.nodeCredential;
      createObject(
        ctx,
        ctx.kinds.byResource("configmaps")!,
        "default",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1" } } as KubeObject,
        SYSTEM_WRITE,
      );
      const p = pod(ctx, "web", "n1", {
        env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "a" } } }],
      });
      const first = (await call("/agent/sync", cred, sync("n1"))).body;
      expect(first.pods.map((x: Json) => x.pod.metadata.name)).toEqual(["web"]);
      expect(first.pods[0].configMaps.cfg.data).toEqual({ a: "1" });
      const known = [{ uid: p.metadata.uid!, resourceVersion: first.pods[0].pod.metadata.resourceVersion }];
      const status = { phase: "Running", conditions: [{ type: "Ready", status: "True" }] };
      const acked = (
        await call(
          "/agent/sync",
          cred,
          sync("n1", {
            known,
            podStatuses: [{ uid: p.metadata.uid!, namespace: "default", name: "web", status: status as Json }],
          }),
        )
      ).body;
      expect(acked.pods).toEqual([]);
      const rv = acked.acknowledged[p.metadata.uid!];
      expect(rv).toBe(ctx.store.get("pods", "default", "web")!.object.metadata.resourceVersion);
      // Long-poll: nothing new → held; a new pod for the node answers at once.
      const started = Date.now();
      const held = call(
        "/agent/sync",
        cred,
        sync("n1", { known: [{ uid: p.metadata.uid!, resourceVersion: rv }], waitSeconds: 5 }),
      );
      await new Promise((r) => setTimeout(r, 100));
      pod(ctx, "second", "n1");
      const woken = (await held).body;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(woken.pods.map((x: Json) => x.pod.metadata.name)).toEqual(["second"]);
    });
  });

  it("a newer sync of a node releases its older parked one, which is never answered with the node's pods", async () => {
    await withCluster(async ({ ctx, call, joinToken, agents }) => {
      const cred = (await call("/agent/join", joinToken, joinRequest("n1"))).body.nodeCredential;
      const other = (await call("/agent/join", joinToken, joinRequest("n2"))).body.nodeCredential;
      const otherNode = call("/agent/sync", other, sync("n2", { waitSeconds: 60 }));
      // The agent abandons this poll (news arrived while it was open) and sends the next one.
      let released = false;
      const abandoned = call("/agent/sync", cred, sync("n1", { waitSeconds: 60 }));
      void abandoned.then(() => (released = true));
      await until(() => agents.parkedSyncs("n1") === 1);
      const current = call("/agent/sync", cred, sync("n1", { waitSeconds: 60 }));
      // Counted, not timed: the old poll is released by the newer sync, before any wake or its interval.
      await until(() => released || agents.parkedSyncs("n1") === 2);
      expect(released).toBe(true);
      expect((await abandoned).body.pods).toEqual([]);
      await until(() => agents.parkedSyncs("n1") === 1);
      pod(ctx, "web", "n1");
      expect((await current).body.pods.map((x: Json) => x.pod.metadata.name)).toEqual(["web"]);
      // Another node's parked sync is not released by n1's.
      expect(agents.parkedSyncs("n2")).toBe(1);
      pod(ctx, "db", "n2");
      expect((await otherNode).body.pods.map((x: Json) => x.pod.metadata.name)).toEqual(["db"]);
    });
  });

  it("finishes a graceful deletion when the agent reports the pod terminated; gone pods are stopped", async () => {
    await withCluster(async ({ ctx, call, joinToken }) => {
      const cred = (await call("/agent/join", joinToken, joinRequest("n1"))).body.nodeCredential;
      const p = pod(ctx, "doomed", "n1");
      deleteObject(ctx, ctx.kinds.byResource("pods")!, "default", "doomed", {
        ...SYSTEM_WRITE,
        gracePeriodSeconds: 30,
      });
      expect(ctx.store.get("pods", "default", "doomed")!.object.metadata.deletionTimestamp).toBeTruthy();
      await call("/agent/sync", cred, sync("n1", { terminated: [p.metadata.uid!] }));
      expect(ctx.store.get("pods", "default", "doomed")).toBeUndefined();
      const res = (
        await call("/agent/sync", cred, sync("n1", { known: [{ uid: p.metadata.uid!, resourceVersion: "1" }] }))
      ).body;
      expect(res.stop).toEqual([p.metadata.uid]);
    });
  });

  it("turns a silent node's conditions Unknown once its lease expires", async () => {
    await withCluster(async ({ ctx, call, joinToken, agents }) => {
      const cred = (await call("/agent/join", joinToken, joinRequest("n1"))).body.nodeCredential;
      await call("/agent/sync", cred, sync("n1", { nodeStatus: readyStatus() }));
      expect(agents.markSilentNodes()).toEqual([]);
      const realNow = ctx.now;
      ctx.now = () => realNow() + 41_000;
      expect(agents.markSilentNodes()).toEqual(["n1"]);
      expect(ctx.store.get("nodes", undefined, "n1")!.object.status.conditions[0]).toMatchObject({
        status: "Unknown",
        reason: "NodeStatusUnknown",
      });
    });
  });
});
