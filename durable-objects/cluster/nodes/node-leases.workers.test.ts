// kube-node-lease Leases through the Kubernetes API: served from the heartbeat table, fresh after each
// renewal, and never written to the store.
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it } from "vitest";
import type { JoinRequest } from "../../../kube/agent-protocol.ts";
import migrations from "../../../migrations/cluster/migrations.js";
import type { ApiContext } from "../context.ts";
import { kubernetesApi } from "../api/router.ts";
import { Credentials } from "../auth/credentials.ts";
import { kindIndex } from "../registry/index.ts";
import { ObjectStore } from "../store/object-store.ts";
import { NodeAgents } from "./agents.ts";
import { nodeLeaseObjects } from "./lease-objects.ts";
import { handleAgentRequest } from "./routes.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

const joinRequest = (nodeName: string): JoinRequest => ({
  nodeName,
  capacity: { cpu: "2", memory: "4Gi", pods: "110" },
  allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
  nodeInfo: { operatingSystem: "linux", architecture: "amd64" } as JoinRequest["nodeInfo"],
  addresses: [{ type: "InternalIP", address: "10.0.0.5" }],
  labels: {},
});

const syncBody = (nodeName: string) => ({ nodeName, podStatuses: [], terminated: [], events: [], known: [] });

interface Setup {
  ctx: ApiContext;
  agent(path: string, token: string, body: unknown): Promise<Json>;
  api(path: string, accept?: string): Promise<{ status: number; body: Json }>;
  joinToken: string;
}

async function withCluster(fn: (s: Setup) => Promise<void>): Promise<void> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    const store = new ObjectStore(db, state.storage, 100);
    const ctx: ApiContext = { store, kinds: kindIndex, now: () => Date.now() };
    const credentials = new Credentials(db);
    const agents = new NodeAgents(ctx, credentials, db);
    ctx.nodeLeases = () => nodeLeaseObjects(ctx, agents.leases());
    const admin = await credentials.issue("admin", Date.now());
    const join = await credentials.issue("join", Date.now());
    const app = kubernetesApi(ctx, credentials);
    const agent = async (path: string, token: string, body: unknown) => {
      const init = { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) };
      return (await handleAgentRequest(agents, new Request(`https://x${path}`, init))).json();
    };
    const api = async (path: string, accept = "application/json") => {
      const headers = { authorization: `Bearer ${admin.token}`, accept };
      const res = await app.fetch(new Request(`https://x${path}`, { headers }));
      return { status: res.status, body: await res.json() };
    };
    await fn({ ctx, agent, api, joinToken: join.token });
  });
}

const LEASES = "/apis/coordination.k8s.io/v1";

describe("kube-node-lease through the API", () => {
  it("lists, gets and tabulates each node's lease with a fresh renewTime, storing nothing", async () => {
    await withCluster(async ({ ctx, agent, api, joinToken }) => {
      expect((await api(`${LEASES}/namespaces/kube-node-lease/leases`)).body.items).toEqual([]);
      const creds: string[] = [];
      for (const name of ["n2", "n1"])
        creds.push((await agent("/agent/join", joinToken, joinRequest(name))).nodeCredential);
      await agent("/agent/sync", creds[0], syncBody("n2"));
      const before = Date.now();
      await agent("/agent/sync", creds[1], syncBody("n1"));
      const revision = ctx.store.revision;

      const list = (await api(`${LEASES}/namespaces/kube-node-lease/leases`)).body;
      expect(list.kind).toBe("LeaseList");
      expect(list.items.map((l: Json) => l.metadata.name)).toEqual(["n1", "n2"]);
      const n1 = list.items[0];
      const node = ctx.store.get("nodes", undefined, "n1")!.object;
      expect(n1).toMatchObject({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: {
          namespace: "kube-node-lease",
          uid: node.metadata.uid,
          ownerReferences: [{ kind: "Node", name: "n1" }],
        },
        spec: { holderIdentity: "n1", leaseDurationSeconds: 40 },
      });
      expect(Date.parse(n1.spec.renewTime)).toBeGreaterThanOrEqual(before);

      const all = (await api(`${LEASES}/leases`)).body;
      expect(all.items.map((l: Json) => l.metadata.name)).toEqual(["n1", "n2"]);
      expect((await api(`${LEASES}/namespaces/default/leases`)).body.items).toEqual([]);

      const got = await api(`${LEASES}/namespaces/kube-node-lease/leases/n2`);
      expect(got.status).toBe(200);
      expect(got.body.spec.holderIdentity).toBe("n2");
      expect((await api(`${LEASES}/namespaces/kube-node-lease/leases/nope`)).status).toBe(404);

      const table = (
        await api(`${LEASES}/namespaces/kube-node-lease/leases`, "application/json;as=Table;v=v1;g=meta.k8s.io")
      ).body;
      expect(table.rows.map((r: Json) => r.cells.slice(0, 2))).toEqual([
        ["n1", "n1"],
        ["n2", "n2"],
      ]);

      // A renewal shows at once, and nothing of it reached the store.
      const first = n1.spec.renewTime;
      await new Promise((r) => setTimeout(r, 5));
      await agent("/agent/sync", creds[1], syncBody("n1"));
      const again = (await api(`${LEASES}/namespaces/kube-node-lease/leases/n1`)).body;
      expect(Date.parse(again.spec.renewTime)).toBeGreaterThan(Date.parse(first));
      expect(ctx.store.revision).toBe(revision);
      expect(ctx.store.count("leases.coordination.k8s.io")).toBe(0);
    });
  });
});
