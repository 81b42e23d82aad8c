// NetworkPolicy data in sync on real Durable Object SQLite: sent only to agents that ask, only when their
// version is stale, with pods only while a policy exists, and a policy change answers a waiting long-poll.
import { describe, expect, it } from "vitest";
import type { SyncRequest } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";
import { updateObject } from "../writes/update.ts";
import { joinRequest, syncRequest as sync, withAgents } from "./testing.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

type Call = (body: SyncRequest) => Promise<Json>;

async function withNode(fn: (ctx: ApiContext, a: Call) => Promise<void>): Promise<void> {
  await withAgents(["default", "team"], async ({ ctx, joinToken, call }) => {
    const post = async (path: string, token: string, body: unknown) => (await call(path, token, body)).body;
    const joined = await post("/agent/join", joinToken, joinRequest("a"));
    await fn(ctx, (body) => post("/agent/sync", joined.nodeCredential, body));
  });
}

const create = (ctx: ApiContext, resource: string, namespace: string, object: Record<string, unknown>) =>
  createObject(ctx, ctx.kinds.byResource(resource)!, namespace, object as unknown as KubeObject, SYSTEM_WRITE);

function runningPod(ctx: ApiContext, name: string, ip: string, labels: Record<string, string>): void {
  create(ctx, "pods", "team", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: {
      nodeName: "a",
      containers: [{ name: "c", image: "busybox", ports: [{ name: "http", containerPort: 80 }] }],
    },
  });
  const pod = structuredClone(ctx.store.get("pods", "team", name)!.object);
  pod.status = { ...pod.status, phase: "Running", podIP: ip, podIPs: [{ ip }] };
  updateObject(
    ctx,
    ctx.kinds.byResource("pods")!,
    { namespace: "team", name, subresource: "status" },
    pod,
    SYSTEM_WRITE,
  );
}

const denyAll = () => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "deny" },
  spec: {},
});

describe("NetworkPolicy data in sync", () => {
  it("goes to agents that ask, with pods only once a policy exists, and again only when it changed", async () => {
    await withNode(async (ctx, a) => {
      runningPod(ctx, "web", "10.244.0.5", { app: "web" });
      expect((await a(sync("a"))).networkPolicies).toBeUndefined();
      const none = (await a(sync("a", { wantNetworkPolicies: true }))).networkPolicies;
      expect(none).toMatchObject({ policies: [], pods: [], namespaces: [] });
      // A pod's change moves nothing while no policy exists.
      runningPod(ctx, "api", "10.244.0.6", { app: "api" });
      expect(
        (await a(sync("a", { wantNetworkPolicies: true, networkPolicyVersion: none.version }))).networkPolicies,
      ).toBeUndefined();
      create(ctx, "networkpolicies.networking.k8s.io", "team", denyAll());
      const some = (await a(sync("a", { wantNetworkPolicies: true, networkPolicyVersion: none.version })))
        .networkPolicies;
      expect(some.version).not.toBe(none.version);
      expect(some.policies).toEqual([
        { namespace: "team", name: "deny", spec: { podSelector: {}, policyTypes: ["Ingress"] } },
      ]);
      expect([...some.pods].sort((x: Json, y: Json) => x.name.localeCompare(y.name))).toEqual([
        expect.objectContaining({ name: "api", ip: "10.244.0.6" }),
        {
          namespace: "team",
          name: "web",
          ip: "10.244.0.5",
          nodeName: "a",
          labels: { app: "web" },
          namedPorts: [{ name: "http", port: 80, protocol: "TCP" }],
        },
      ]);
      expect(some.namespaces.map((n: Json) => n.name)).toEqual(expect.arrayContaining(["default", "team"]));
      expect(
        (await a(sync("a", { wantNetworkPolicies: true, networkPolicyVersion: some.version }))).networkPolicies,
      ).toBeUndefined();
    });
  });

  it("a policy created answers a waiting long-poll at once, a stale agent is answered without waiting", async () => {
    await withNode(async (ctx, a) => {
      const held = (await a(sync("a", { wantNetworkPolicies: true }))).networkPolicies.version;
      let started = Date.now();
      const waiting = a(sync("a", { wantNetworkPolicies: true, networkPolicyVersion: held, waitSeconds: 5 }));
      await new Promise((r) => setTimeout(r, 100));
      create(ctx, "networkpolicies.networking.k8s.io", "team", denyAll());
      const woken = await waiting;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(woken.networkPolicies.policies).toHaveLength(1);
      started = Date.now();
      const stale = await a(sync("a", { wantNetworkPolicies: true, networkPolicyVersion: held, waitSeconds: 5 }));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(stale.networkPolicies.version).toBe(woken.networkPolicies.version);
    });
  });
});
