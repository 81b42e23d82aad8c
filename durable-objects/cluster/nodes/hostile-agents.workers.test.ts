// A node credential in hostile hands, on real Durable Object SQLite: what a node may say through sync is
// confined to its own pods, and whatever it sends is refused with a Status before anything is written.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "../../../kube/agent-protocol.ts";
import { deleteObject } from "../writes/delete.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { type AgentsSetup, boundPod, joinRequest, syncRequest, withAgents } from "./testing.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

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
          // The agent holds the pod's current version, so its status write is acknowledged.
          known: [{ uid: ownUid, resourceVersion: own.metadata.resourceVersion! }],
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

/** A sync an honest agent might send about `podUid` ("p" in default, bound to "n1"): every part filled in. */
function fullSync(podUid: string): Json {
  const now = "2026-01-01T00:00:00Z";
  return {
    ...syncRequest("n1"),
    nodeStatus: {
      ...joinRequest("n1"),
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady", message: "ready", lastTransitionTime: now },
      ],
    },
    podStatuses: [
      {
        uid: podUid,
        namespace: "default",
        name: "p",
        status: {
          phase: "Running",
          conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }],
          containerStatuses: [
            {
              name: "c",
              ready: true,
              restartCount: 0,
              image: "busybox",
              imageID: "",
              state: { running: { startedAt: now } },
            },
          ],
          podIP: "10.88.0.5",
          startTime: now,
        },
      },
    ],
    events: [event(podUid, "default", "p")],
    known: [{ uid: podUid, resourceVersion: "1" }],
    terminated: [],
    metrics: {
      timestamp: now,
      windowSeconds: 10,
      node: { cpuNanoCores: 1000, memoryBytes: 2048 },
      pods: [
        { uid: podUid, namespace: "default", name: "p", containers: [{ name: "c", cpuNanoCores: 5, memoryBytes: 7 }] },
      ],
    },
    wantServices: true,
  };
}

/** Sends a body that must be refused with a 4xx Status and checks that nothing at all was written. */
async function refused(s: AgentsSetup, path: string, token: string, body: unknown): Promise<Json> {
  const before = s.dump();
  const res = await s.call(path, token, body);
  expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.body).toMatchObject({ kind: "Status", status: "Failure", code: res.status });
  expect(s.dump()).toBe(before);
  return res.body;
}

describe("hostile join and sync bodies", () => {
  it("join: garbage capacity is 422 Invalid as upstream's Node validation words it, wrong types 400; nothing stored", async () => {
    await withAgents(["default", "kube-node-lease"], async (s) => {
      const garbage = await refused(s, "/agent/join", s.joinToken, {
        ...joinRequest("n1"),
        capacity: { cpu: "abc", pods: "-5", memory: "1.5Gi" },
        allocatable: { pods: "1500m" },
      });
      expect(garbage).toMatchObject({ code: 422, reason: "Invalid" });
      expect(garbage.message).toBe(
        `Node "n1" is invalid: [status.capacity.cpu: Invalid value: "abc": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$', status.capacity.pods: Invalid value: "-5": must be greater than or equal to 0, status.allocatable.pods: Invalid value: "1500m": must be an integer]`,
      );
      const label = await refused(s, "/agent/join", s.joinToken, { ...joinRequest("n1"), labels: { zone: 5 } });
      expect(label).toMatchObject({ code: 400, reason: "BadRequest" });
      expect(label.message).toBe(
        "join request: json: cannot unmarshal number into Go struct field JoinRequest.labels of type string",
      );
      const badLabel = await refused(s, "/agent/join", s.joinToken, { ...joinRequest("n1"), labels: { "a b": "c" } });
      expect(badLabel).toMatchObject({ code: 422 });
      const badOs = {
        ...joinRequest("n1"),
        nodeInfo: { ...joinRequest("n1").nodeInfo, operatingSystem: "linux/../x" },
      };
      expect(await refused(s, "/agent/join", s.joinToken, badOs)).toMatchObject({ code: 422 });
      const twice = {
        ...joinRequest("n1"),
        addresses: [joinRequest("n1").addresses[0], joinRequest("n1").addresses[0]],
      };
      expect(await refused(s, "/agent/join", s.joinToken, twice)).toMatchObject({ code: 422 });
      for (const body of [
        [],
        "node",
        { ...joinRequest("n1"), capacity: undefined },
        { ...joinRequest("n1"), addresses: "x" },
      ])
        expect(await refused(s, "/agent/join", s.joinToken, body)).toMatchObject({ code: 400 });
      // Labels are optional: the Node gets the well-known ones.
      const { labels: _, ...unlabelled } = joinRequest("n1");
      expect((await s.call("/agent/join", s.joinToken, unlabelled)).status).toBe(201);
      expect(s.ctx.store.get("nodes", undefined, "n1")!.object.metadata.labels).toEqual({
        "kubernetes.io/hostname": "n1",
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
      });
    });
  });

  it("sync: the bodies that answered 500 are 400 and write nothing, not even the lease", async () => {
    await withAgents(["default", "kube-node-lease"], async (s) => {
      const cred = (await s.call("/agent/join", s.joinToken, joinRequest("n1"))).body.nodeCredential;
      const uid = boundPod(s.ctx, "p", "n1").metadata.uid!;
      const valid = fullSync(uid);
      const withStatus = (status: Json) => ({ ...valid, podStatuses: [{ ...valid.podStatuses[0], status }] });
      const cases: [Json, string][] = [
        [
          { ...valid, nodeStatus: { ...valid.nodeStatus, conditions: "x" } },
          "sync request: json: cannot unmarshal string into Go struct field NodeStatus.nodeStatus.conditions of type []v1.NodeCondition",
        ],
        [
          { ...valid, nodeStatus: { ...valid.nodeStatus, conditions: [{ type: null }] } },
          "sync request: nodeStatus.conditions[0].type is required",
        ],
        [withStatus(null), "sync request: podStatuses[0].status is required"],
        [
          withStatus({ conditions: "x" }),
          "sync request: json: cannot unmarshal string into Go struct field PodStatus.podStatuses.status.conditions of type []v1.PodCondition",
        ],
        [{ ...valid, nodeStatus: { ...valid.nodeStatus, capacity: { cpu: "-1" } } }, 'Node "n1" is invalid'],
        [{ ...valid, events: [{ ...valid.events[0], count: "many" }] }, "sync request: json: cannot unmarshal"],
        [{ ...valid, waitSeconds: -1 }, "sync request: waitSeconds must be a number of seconds, not -1"],
        [{ ...valid, nodeName: 7 }, "sync request: json: cannot unmarshal number"],
      ];
      for (const [body, message] of cases) {
        const res = await refused(s, "/agent/sync", cred, body);
        expect(res.message).toContain(message);
      }
      expect((await s.call("/agent/sync", cred, valid)).status).toBe(200);
    });
  });
});

/** Every place in a JSON document, as key paths (the root excluded). */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [[...at, k], ...paths(value[k], [...at, k])]);
}

interface Mutation {
  at: number;
  op: "replace" | "delete" | "add";
  value: Json;
  key: string;
}

/** The body with each mutation applied at one of its places (chosen modulo their number). */
function mutate(body: Json, mutations: Mutation[]): Json {
  const out = structuredClone(body);
  for (const m of mutations) {
    const all = paths(out);
    if (all.length === 0) break;
    const path = all[m.at % all.length];
    const parent = path.slice(0, -1).reduce((o: Json, k) => o[k], out);
    const last = path[path.length - 1];
    if (m.op === "replace") parent[last] = m.value;
    else if (m.op === "delete") Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
    else if (typeof parent[last] === "object" && parent[last] !== null && !Array.isArray(parent[last]))
      parent[last][m.key] = m.value;
  }
  // A positive waitSeconds would hold each quiet sync open for seconds: the fuzz asks for answers at once.
  if (typeof out === "object" && out !== null && typeof out.waitSeconds === "number" && out.waitSeconds > 0)
    out.waitSeconds = 0;
  return out;
}

const mutations = fc.array(
  fc.record({
    at: fc.nat(),
    op: fc.constantFrom<Mutation["op"]>("replace", "delete", "add"),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(null, "", "-5", "abc", "1500m", -1, 1e308, [], {}, "2026-13-45T99:99:99Z", "a".repeat(300)),
    ),
    key: fc.constantFrom("type", "status", "x", "conditions", "kubernetes.io/os", "\u0000"),
  }),
  { minLength: 1, maxLength: 3 },
);

describe("property: hostile join and sync bodies (fast-check, seeded)", () => {
  it("never answer 5xx, every error is a Status, and a refused request stores nothing", async () => {
    await withAgents(["default", "kube-node-lease"], async (s) => {
      const cred = (await s.call("/agent/join", s.joinToken, joinRequest("n1"))).body.nodeCredential;
      const uid = boundPod(s.ctx, "p", "n1").metadata.uid!;
      const check = async (path: string, token: string, body: Json) => {
        const before = s.dump();
        const res = await s.call(path, token, body);
        const where = `${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body, where).toMatchObject({ kind: "Status", status: "Failure", code: res.status });
          expect(s.dump(), where).toBe(before);
        }
      };
      await fc.assert(
        fc.asyncProperty(mutations, (m) => check("/agent/join", s.joinToken, mutate(joinRequest("n1"), m))),
        { seed: 21, numRuns: 150 },
      );
      await fc.assert(
        fc.asyncProperty(mutations, (m) => check("/agent/sync", cred, mutate(fullSync(uid), m))),
        { seed: 21, numRuns: 250 },
      );
    });
  }, 120_000);
});
