// Issue 21, "a deletion can be lost on the way to the agent": hammers the real sync protocol (the object's
// NodeAgents behind its HTTP route, on real Durable Object SQLite) with a scripted agent that follows
// agent/sync-loop.ts's rules — it reports statuses and terminations, holds `known` resourceVersions, takes
// acknowledgements, and abandons an open long-poll when its runtime has news (the object still handles the
// abandoned request, and its answer is lost). Pods are created and deleted at varied points between the
// agent's status writes; every interleaving must end with the pod gone.
import { describe, expect, it } from "vitest";
import type { PodStatusUpdate, SyncRequest, SyncResponse } from "../../../kube/agent-protocol.ts";
import type { PodStatus } from "../../../kube/pod-types.ts";
import { deleteObject } from "../writes/delete.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { createTestPod } from "../testing/pods.ts";
import { joinRequest, withAgents } from "./testing.ts";

type Call = (path: string, token: string, body: unknown) => Promise<{ status: number; body: unknown }>;

interface Report {
  statuses: Map<string, PodStatusUpdate>;
  terminated: Set<string>;
}

/** An agent reduced to its protocol: the pods its runtime holds and what it has to say about them. */
class ScriptedAgent {
  readonly known = new Map<string, string>();
  #pending: Report = { statuses: new Map(), terminated: new Set() };
  #running = new Map<string, { namespace: string; name: string; ready: boolean }>();
  #abandoned: Promise<unknown>[] = [];
  syncs = 0;

  constructor(
    private readonly call: Call,
    private readonly credential: string,
    readonly nodeName: string,
  ) {}

  /** One sync answered and applied, as SyncLoop.syncOnce. */
  async sync(): Promise<void> {
    const sent = this.#take();
    const res = await this.call("/agent/sync", this.credential, this.#request(sent, 0));
    if (res.status !== 200) throw new Error(`sync answered ${res.status}: ${JSON.stringify(res.body)}`);
    this.#apply(res.body as SyncResponse, sent);
    this.syncs++;
  }

  /**
   * A long-poll the agent gives up on (its runtime had news): the object handles it (its statuses are
   * written, and it may answer later when woken), but the answer never arrives, so the report goes back
   * into the pending one and is sent again.
   */
  abandonPoll(): void {
    const sent = this.#take();
    this.#abandoned.push(this.call("/agent/sync", this.credential, this.#request(sent, 1)));
    this.#putBack(sent);
  }

  /** The runtime's news about a running pod: its readiness flips (a probe), a new status to report. */
  news(uid: string): void {
    const pod = this.#running.get(uid);
    if (!pod) return;
    pod.ready = !pod.ready;
    this.#report(uid);
  }

  /** Waits for abandoned polls (the object answers them when woken, or after their second). */
  async drainAbandoned(): Promise<void> {
    await Promise.all(this.#abandoned.splice(0));
  }

  #take(): Report {
    const sent = this.#pending;
    this.#pending = { statuses: new Map(), terminated: new Set() };
    return sent;
  }

  #putBack(sent: Report): void {
    for (const [uid, s] of sent.statuses) if (!this.#pending.statuses.has(uid)) this.#pending.statuses.set(uid, s);
    for (const uid of sent.terminated) this.#pending.terminated.add(uid);
  }

  #request(sent: Report, waitSeconds: number): SyncRequest {
    return {
      nodeName: this.nodeName,
      podStatuses: [...sent.statuses.values()],
      terminated: [...sent.terminated],
      events: [],
      known: [...this.known].map(([uid, resourceVersion]) => ({ uid, resourceVersion })),
      waitSeconds,
    };
  }

  #apply(res: SyncResponse, sent: Report): void {
    for (const uid of sent.terminated) this.known.delete(uid);
    for (const { pod } of res.pods) {
      const uid = pod.metadata.uid ?? "";
      this.known.set(uid, pod.metadata.resourceVersion ?? "");
      if (pod.metadata.deletionTimestamp) {
        // The runtime stops it (no containers to wait for) and says so with the next sync.
        this.#running.delete(uid);
        this.#pending.statuses.delete(uid);
        this.#pending.terminated.add(uid);
      } else if (!this.#running.has(uid)) {
        this.#running.set(uid, {
          namespace: pod.metadata.namespace ?? "default",
          name: pod.metadata.name ?? "",
          ready: true,
        });
        this.#report(uid);
      }
    }
    for (const uid of res.stop) {
      this.#running.delete(uid);
      this.known.delete(uid);
    }
    for (const [uid, rv] of Object.entries(res.acknowledged)) if (this.known.has(uid)) this.known.set(uid, rv);
  }

  #report(uid: string): void {
    const pod = this.#running.get(uid);
    if (!pod) return;
    const ready = pod.ready ? "True" : "False";
    const status = {
      phase: "Running",
      conditions: [
        { type: "ContainersReady", status: ready },
        { type: "Ready", status: ready },
      ],
    } as PodStatus;
    this.#pending.statuses.set(uid, { uid, namespace: pod.namespace, name: pod.name, status });
  }
}

/** A small seeded generator (mulberry32), so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step = "sync" | "abandon" | "news" | "delete";

const INTERLEAVINGS = 200;
const NODES = 8;

describe("a deletion is never lost on the way to the agent", () => {
  it(`${INTERLEAVINGS} create/delete interleavings against the sync protocol leave 0 pods stuck`, async () => {
    await withAgents(["default", "kube-node-lease"], async ({ ctx, call, joinToken }) => {
      const agents: ScriptedAgent[] = [];
      for (let n = 0; n < NODES; n++) {
        const nodeName = `race-${n}`;
        const joined = await call("/agent/join", joinToken, joinRequest(nodeName));
        agents.push(new ScriptedAgent(call, (joined.body as { nodeCredential: string }).nodeCredential, nodeName));
      }
      const stuck: string[] = [];
      const seen = new Map<Step, number>();

      // Each node runs its share of the interleavings one after another; the nodes run side by side.
      const runNode = async (agent: ScriptedAgent, n: number) => {
        for (let i = n; i < INTERLEAVINGS; i += NODES) {
          const rand = random(i + 1);
          const name = `p-${i}`;
          const steps: Step[] = Array.from({ length: 2 + Math.floor(rand() * 7) }, () => {
            const r = rand();
            return r < 0.4 ? "sync" : r < 0.7 ? "abandon" : "news";
          });
          steps.splice(Math.floor(rand() * (steps.length + 1)), 0, "delete");
          const uid = createTestPod(ctx, name, { nodeName: agent.nodeName }).metadata.uid ?? "";
          for (const step of steps) {
            seen.set(step, (seen.get(step) ?? 0) + 1);
            if (step === "sync") await agent.sync();
            else if (step === "abandon") agent.abandonPoll();
            else if (step === "news") agent.news(uid);
            else
              deleteObject(ctx, ctx.kinds.byResource("pods")!, "default", name, {
                ...SYSTEM_WRITE,
                gracePeriodSeconds: 30,
              });
          }
          // Afterwards the agent keeps syncing as it would; a pod still there after that is stuck.
          for (let k = 0; k < 6 && ctx.store.get("pods", "default", name); k++) await agent.sync();
          await agent.drainAbandoned();
          if (ctx.store.get("pods", "default", name)) stuck.push(`${name} (steps ${steps.join(",")})`);
          else expect(agent.known.has(uid)).toBe(false);
        }
      };
      await Promise.all(agents.map((a, n) => runNode(a, n)));

      console.log(
        `deletion race: ${INTERLEAVINGS} interleavings, ${stuck.length} stuck; steps ${JSON.stringify(Object.fromEntries(seen))}; syncs ${agents.reduce((s, a) => s + a.syncs, 0)}`,
      );
      expect(stuck).toEqual([]);
    });
  }, 120_000);
});
