// A node credential in hostile hands, on real Durable Object SQLite: what a node may say through sync is
// confined to its own pods, and whatever it sends is refused with a Status before anything is written.
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../../kube/agent-protocol.ts";
import { deleteObject } from "../api/delete.ts";
import { SYSTEM_WRITE } from "../api/options.ts";
import { boundPod, joinRequest, syncRequest, withAgents } from "./testing.ts";

const event = (podUID: string, namespace: string, podName: string, reason = "Started"): AgentEvent => ({
  podUID,
  namespace,
  podName,
  type: "Normal",
  reason,
  message: `${reason} ${podName}`,
  count: 1,
  firstTimestamp: "2026-01-01T00:00:00Z",
  lastTimestamp: "2026-01-01T00:00:00Z",
});

describe("events a node reports", () => {
  it("are recorded about its own pods only; forged ones are dropped and counted, the sync goes on", async () => {
    await withAgents(["default", "kube-system", "kube-node-lease"], async ({ ctx, call, joinToken }) => {
      const a = (await call("/agent/join", joinToken, joinRequest("a"))).body.nodeCredential;
      await call("/agent/join", joinToken, joinRequest("b"));
      const own = boundPod(ctx, "on-a", "a");
      const other = boundPod(ctx, "on-b", "b");
      const ownUid = own.metadata.uid!;
      const res = await call(
        "/agent/sync",
        a,
        syncRequest("a", {
          podStatuses: [{ uid: ownUid, namespace: "default", name: "on-a", status: { phase: "Running" } }],
          events: [
            event(ownUid, "default", "on-a"),
            event("forged-uid", "kube-system", "kube-apiserver", "Forged"),
            event(other.metadata.uid!, "default", "on-b", "Forged"),
            event("another-uid", "default", "on-a", "Forged"),
            event(ownUid, "kube-system", "on-a", "Forged"),
          ],
        }),
      );
      expect(res.status).toBe(200);
      expect(res.body.refusedEvents).toBe(4);
      expect(res.body.acknowledged[ownUid]).toBeTruthy();
      const events = ctx.store.list("events").map((e) => e.object as unknown as Record<string, Record<string, string>>);
      expect(events.map((e) => [e.metadata.namespace, e.involvedObject.name, e.involvedObject.uid, e.reason])).toEqual([
        ["default", "on-a", ownUid, "Started"],
      ]);
      // An honest sync says nothing about refusals.
      const quiet = await call(
        "/agent/sync",
        a,
        syncRequest("a", { events: [event(ownUid, "default", "on-a", "Pulled")] }),
      );
      expect(quiet.body.refusedEvents).toBeUndefined();
    });
  });

  it("an event about a pod whose deletion the same sync finishes is still recorded", async () => {
    await withAgents(["default", "kube-node-lease"], async ({ ctx, call, joinToken }) => {
      const a = (await call("/agent/join", joinToken, joinRequest("a"))).body.nodeCredential;
      const doomed = boundPod(ctx, "doomed", "a");
      deleteObject(ctx, ctx.kinds.byResource("pods")!, "default", "doomed", {
        ...SYSTEM_WRITE,
        gracePeriodSeconds: 30,
      });
      const uid = doomed.metadata.uid!;
      const res = await call(
        "/agent/sync",
        a,
        syncRequest("a", { terminated: [uid], events: [event(uid, "default", "doomed", "Killing")] }),
      );
      expect(res.body.refusedEvents).toBeUndefined();
      expect(ctx.store.get("pods", "default", "doomed")).toBeUndefined();
      expect(ctx.store.list("events").map((e) => e.object.reason)).toEqual(["Killing"]);
    });
  });
});
