// Syncs on a node's tunnel behind the real Worker: answered as POST /agent/sync answers (pods bound to the
// node, statuses written), authorized per sync (a deleted node, a credential replaced by a re-join, another
// node's name: refused on the open tunnel at once), bad frames answered with a Status while the object goes
// on serving, and one long-poll per tunnel (a newer sync ends the older one, whose answer is dropped).
import { describe, expect, it } from "vitest";
import type { SyncRequest, SyncResponse } from "../../../kube/agent-protocol.ts";
import type { Status } from "../../../kube/types.ts";
import { decodeFrame, encodeFrame, type Frame, FrameType } from "../../../kube/tunnel-protocol.ts";
import { createCluster, joinNode, kube, signup, type TenantCluster } from "../../../worker/testing/tenants.ts";
import { openTunnel } from "../testing/fake-agent.ts";
import { syncRequest as idle } from "./testing.ts";

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const pause = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake agent's tunnel: sends sync frames and collects the sync answers by id. */
class SyncingAgent {
  answers: Frame[] = [];
  #waiters: (() => void)[] = [];
  #next = 1;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      const frame = decodeFrame(event.data as ArrayBuffer);
      if (!frame || (frame.type !== FrameType.sync && frame.type !== FrameType.syncError)) return;
      this.answers.push({ ...frame, payload: frame.payload.slice() });
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  send(payload: Uint8Array): number {
    const id = this.#next++;
    this.ws.send(encodeFrame(FrameType.sync, id, payload));
    return id;
  }

  sync(request: SyncRequest): number {
    return this.send(text(JSON.stringify(request)));
  }

  async answer(id: number): Promise<{ ok: true; body: SyncResponse } | { ok: false; status: Status }> {
    for (;;) {
      const frame = this.answers.find((f) => f.stream === id);
      if (frame) {
        const body = JSON.parse(decode(frame.payload));
        return frame.type === FrameType.sync ? { ok: true, body } : { ok: false, status: body };
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

async function setup(): Promise<{ cluster: TenantCluster; credential: string; agent: SyncingAgent }> {
  const cluster = await createCluster(await signup());
  const credential = await joinNode(cluster, "n1");
  const agent = new SyncingAgent(await openTunnel({ cluster, credential }));
  return { cluster, credential, agent };
}

function pod(name: string, nodeName: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName, containers: [{ name: "c", image: "busybox:stable" }] },
  };
}

describe("syncs on the node tunnel", () => {
  it("answers as the HTTP sync does: the node's pods, its statuses written", async () => {
    const { cluster, agent } = await setup();
    const created = await kube(
      cluster.id,
      cluster.adminToken,
      "POST",
      "/api/v1/namespaces/default/pods",
      pod("web", "n1"),
    );
    expect(created.status).toBe(201);
    const first = await agent.answer(agent.sync(idle("n1")));
    if (!first.ok) throw new Error(JSON.stringify(first.status));
    expect(first.body.heartbeatSeconds).toBe(10);
    expect(first.body.pods.map((a) => a.pod.metadata.name)).toEqual(["web"]);
    const uid = first.body.pods[0].pod.metadata.uid ?? "";
    const status = { phase: "Running" as const, conditions: [], containerStatuses: [] };
    const known = [{ uid, resourceVersion: first.body.pods[0].pod.metadata.resourceVersion ?? "" }];
    const second = await agent.answer(
      agent.sync(idle("n1", { known, podStatuses: [{ uid, namespace: "default", name: "web", status }] })),
    );
    if (!second.ok) throw new Error(JSON.stringify(second.status));
    expect(second.body.pods).toEqual([]);
    expect(Object.keys(second.body.acknowledged ?? {})).toEqual([uid]);
    const stored = await kube(cluster.id, cluster.adminToken, "GET", "/api/v1/namespaces/default/pods/web");
    expect(stored.body.status.phase).toBe("Running");
  });

  it("refuses on the open tunnel a node deleted, a credential replaced by a re-join, another node's name", async () => {
    const { cluster, agent } = await setup();
    await joinNode(cluster, "n2");
    const other = await agent.answer(agent.sync(idle("n2")));
    expect(other.ok ? 200 : other.status.code).toBe(403);
    expect(other.ok ? "" : other.status.message).toBe('node "n1" is not allowed to act as node "n2"');

    // A re-join issues a new credential for n1: the tunnel opened with the old one is refused from now on.
    await joinNode(cluster, "n1");
    const replaced = await agent.answer(agent.sync(idle("n1")));
    expect(replaced.ok ? 200 : replaced.status.code).toBe(401);

    const fresh = await setup();
    expect((await fresh.agent.answer(fresh.agent.sync(idle("n1")))).ok).toBe(true);
    const deleted = await kube(fresh.cluster.id, fresh.cluster.adminToken, "DELETE", "/api/v1/nodes/n1");
    expect(deleted.status).toBe(200);
    const gone = await fresh.agent.answer(fresh.agent.sync(idle("n1")));
    expect(gone.ok ? 200 : gone.status.code).toBe(404);
  });

  it("answers bad frames with a Status and keeps serving", async () => {
    const { agent } = await setup();
    const notJson = await agent.answer(agent.send(text("{not json")));
    expect(notJson.ok ? 200 : notJson.status).toMatchObject({ kind: "Status", code: 400, reason: "BadRequest" });
    const badShape = await agent.answer(agent.send(text(JSON.stringify({ nodeName: "n1", known: "everything" }))));
    expect(badShape.ok ? 200 : badShape.status.code).toBe(400);
    const empty = await agent.answer(agent.send(new Uint8Array()));
    expect(empty.ok ? 200 : empty.status.code).toBe(400);
    expect((await agent.answer(agent.sync(idle("n1")))).ok).toBe(true);
  });

  it("holds a long-poll until the node's pods change; a newer sync ends the older one unanswered", async () => {
    const { cluster, agent } = await setup();
    // Node IPAM giving the new node its pod CIDR wakes a parked sync (its network needs it): let that pass first.
    for (let i = 0; i < 100; i++) {
      const node = await kube(cluster.id, cluster.adminToken, "GET", "/api/v1/nodes/n1");
      if (node.body.spec?.podCIDR) break;
      await pause();
    }
    const held = agent.sync(idle("n1", { waitSeconds: 30 }));
    await pause(); // frames sent back to back inside workerd may overtake each other (see proxy.workers.test.ts)
    const replaced = agent.sync(idle("n1", { waitSeconds: 30 }));
    const created = await kube(
      cluster.id,
      cluster.adminToken,
      "POST",
      "/api/v1/namespaces/default/pods",
      pod("late", "n1"),
    );
    expect(created.status).toBe(201);
    const woken = await agent.answer(replaced);
    if (!woken.ok) throw new Error(JSON.stringify(woken.status));
    expect(woken.body.pods.map((a) => a.pod.metadata.name)).toEqual(["late"]);
    // The superseded poll's answer never comes, whatever happens after.
    expect((await agent.answer(agent.sync(idle("n1")))).ok).toBe(true);
    expect(agent.answers.some((f) => f.stream === held)).toBe(false);
  });
});
