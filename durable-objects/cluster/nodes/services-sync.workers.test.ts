// Services in sync on real Durable Object SQLite: sent only to agents that ask (wantServices), for the
// namespaces of their pods, and a Service change answers such an agent's long-poll at once.
import { describe, expect, it } from "vitest";
import type { SyncRequest } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { updateObject } from "../writes/update.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { joinRequest, syncRequest as sync, withAgents } from "./testing.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

type Call = (body: SyncRequest) => Promise<Json>;

async function withNodes(fn: (ctx: ApiContext, a: Call, b: Call) => Promise<void>): Promise<void> {
  await withAgents(["default", "team"], async ({ ctx, joinToken, call }) => {
    const post = async (path: string, token: string, body: unknown) => (await call(path, token, body)).body;
    const joinAs = async (nodeName: string): Promise<Call> => {
      const joined = await post("/agent/join", joinToken, joinRequest(nodeName));
      return (body) => post("/agent/sync", joined.nodeCredential, body);
    };
    await fn(ctx, await joinAs("a"), await joinAs("b"));
  });
}

const create = (ctx: ApiContext, resource: string, namespace: string, object: Record<string, unknown>) =>
  createObject(ctx, ctx.kinds.byResource(resource)!, namespace, object as unknown as KubeObject, SYSTEM_WRITE);

function seed(ctx: ApiContext): void {
  create(ctx, "pods", "team", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "client" },
    spec: { nodeName: "a", containers: [{ name: "c", image: "busybox" }] },
  });
  const service = (name: string, namespace: string, port: number) =>
    create(ctx, "services", namespace, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name },
      spec: { ports: [{ name: "http", port, targetPort: 8080 }] },
    });
  service("kubernetes", "default", 443);
  service("web", "team", 80);
  service("other", "default", 81);
  create(ctx, "endpoints", "team", {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: "web" },
    subsets: [{ addresses: [{ ip: "10.88.0.9", nodeName: "b" }], ports: [{ name: "http", port: 8080 }] }],
  });
}

const names = (body: Json) => (body.services ?? []).map((s: Json) => `${s.namespace}/${s.name}`);

describe("services in sync", () => {
  it("are sent to agents that ask, for their pods' namespaces and kubernetes", async () => {
    await withNodes(async (ctx, a, b) => {
      seed(ctx);
      expect((await a(sync("a"))).services).toBeUndefined();
      const asked = await a(sync("a", { wantServices: true }));
      expect(names(asked)).toEqual(["team/web", "default/kubernetes"]);
      expect(asked.services[0]).toMatchObject({
        ports: [{ name: "http", port: 80, protocol: "TCP" }],
        endpoints: [{ ip: "10.88.0.9", nodeName: "b", ports: { http: 8080 } }],
      });
      // Node b runs no pod: it learns of no namespace's services.
      expect(names(await b(sync("b", { wantServices: true })))).toEqual([]);
    });
  });

  it("a Service change answers the long-poll of an agent that asked, not of one that did not", async () => {
    await withNodes(async (ctx, a) => {
      seed(ctx);
      const uid = ctx.store.get("pods", "team", "client")!.object.metadata;
      const known = [{ uid: uid.uid!, resourceVersion: uid.resourceVersion! }];
      let started = Date.now();
      const waiting = a(sync("a", { wantServices: true, known, waitSeconds: 5 }));
      await new Promise((r) => setTimeout(r, 100));
      create(ctx, "services", "team", {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "late" },
        spec: { ports: [{ port: 81, targetPort: 8080 }] },
      });
      const woken = await waiting;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(names(woken)).toEqual(["team/late", "team/web", "default/kubernetes"]);

      started = Date.now();
      const plain = a(sync("a", { known, waitSeconds: 1 }));
      await new Promise((r) => setTimeout(r, 100));
      create(ctx, "services", "team", {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "later" },
        spec: { ports: [{ port: 82, targetPort: 8080 }] },
      });
      expect((await plain).services).toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });
  });

  it("carry the node's pod CIDR and every node's range; a range given wakes the node's long-poll", async () => {
    await withNodes(async (ctx, a, b) => {
      expect((await a(sync("a"))).podCIDR).toBeUndefined();
      const started = Date.now();
      const waiting = a(sync("a", { waitSeconds: 5 }));
      await new Promise((r) => setTimeout(r, 100));
      // What node IPAM writes.
      const node = structuredClone(ctx.store.get("nodes", undefined, "a")!.object);
      node.spec = { ...node.spec, podCIDR: "10.244.7.0/24", podCIDRs: ["10.244.7.0/24"] };
      updateObject(ctx, ctx.kinds.byResource("nodes")!, { name: "a" }, node, SYSTEM_WRITE);
      const woken = await waiting;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(woken.podCIDR).toBe("10.244.7.0/24");
      expect(woken.nodeCIDRs).toBeUndefined(); // only with services
      const other = await b(sync("b", { wantServices: true }));
      expect(other.podCIDR).toBeUndefined();
      expect(other.nodeCIDRs).toEqual([{ nodeName: "a", podCIDR: "10.244.7.0/24" }]);
    });
  });

  it("tell a service proxy of other nodes' ranges once for a burst of changes, not once per change", async () => {
    await withNodes(async (ctx, a, b) => {
      await a(sync("a"));
      await b(sync("b", { wantServices: true }));
      const addNode = (name: string, cidr: string) =>
        create(ctx, "nodes", "", {
          apiVersion: "v1",
          kind: "Node",
          metadata: { name },
          spec: { podCIDR: cidr, podCIDRs: [cidr] },
        });
      const started = Date.now();
      const waiting = b(sync("b", { wantServices: true, waitSeconds: 5 }));
      await new Promise((r) => setTimeout(r, 50));
      addNode("c", "10.244.7.0/24");
      await new Promise((r) => setTimeout(r, 50));
      addNode("d", "10.244.8.0/24");
      // One answer, after the burst, carrying its last state (answered at the first change, it had only c's).
      const woken = await waiting;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(woken.nodeCIDRs).toEqual([
        { nodeName: "c", podCIDR: "10.244.7.0/24" },
        { nodeName: "d", podCIDR: "10.244.8.0/24" },
      ]);
    });
  });
});
