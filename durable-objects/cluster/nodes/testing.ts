// For workers tests of the agent protocol: a fresh object's SQLite (migrated), its store with the given
// namespaces, a join token, and the agent routes called as an agent would, inside the real Durable Object.
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { JoinRequest, SyncRequest } from "../../../kube/agent-protocol.ts";
import type { KubeObject } from "../../../kube/types.ts";
import migrations from "../../../migrations/cluster/migrations.js";
import type { ApiContext } from "../context.ts";
import { createTestPod } from "../testing/pods.ts";
import { Credentials } from "../auth/credentials.ts";
import { kindIndex } from "../registry/index.ts";
import { ObjectStore } from "../store/object-store.ts";
import { NodeAgents } from "./agents.ts";
import { handleAgentRequest } from "./routes.ts";
import type { AnyJson as Json } from "../../../kube/types.ts";

export interface AgentsSetup {
  ctx: ApiContext;
  agents: NodeAgents;
  joinToken: string;
  /** POSTs to an agent route with a bearer token. */
  call(path: string, token: string, body: unknown): Promise<{ status: number; body: Json }>;
  /** Every row of every table of the object's SQLite (objects, change log, leases, credentials …). */
  dump(): string;
}

function dumpTables(sql: SqlStorage): string {
  const tables = sql
    .exec<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
    )
    .toArray();
  return JSON.stringify(tables.map(({ name }) => [name, sql.exec(`SELECT * FROM "${name}" ORDER BY rowid`).toArray()]));
}

export async function withAgents(namespaces: string[], fn: (s: AgentsSetup) => Promise<void>): Promise<void> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    const store = new ObjectStore(db, state.storage, 100);
    const ctx: ApiContext = { store, kinds: kindIndex, now: () => Date.now() };
    for (const name of namespaces) {
      const { object } = store.put(
        "namespaces",
        { apiVersion: "v1", kind: "Namespace", metadata: { name, uid: name }, spec: {}, status: { phase: "Active" } },
        "ADDED",
      );
      // Its "default" ServiceAccount, as for a namespace created through the API: pods are admitted with it.
      kindIndex.byResource("namespaces")!.afterCreate?.(ctx, object);
    }
    const credentials = new Credentials(db);
    const join = await credentials.issue("join", Date.now());
    const agents = new NodeAgents(ctx, credentials, db);
    const call = async (path: string, token: string, body: unknown) => {
      const res = await handleAgentRequest(
        agents,
        new Request(`https://x${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        }),
      );
      return { status: res.status, body: await res.json() };
    };
    await fn({ ctx, agents, joinToken: join.token, call, dump: () => dumpTables(state.storage.sql) });
  });
}

/** What an honest agent sends when it joins as `nodeName`. */
export const joinRequest = (nodeName: string): JoinRequest => ({
  nodeName,
  capacity: { cpu: "2", memory: "4Gi", pods: "110" },
  allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
  nodeInfo: {
    operatingSystem: "linux",
    architecture: "amd64",
    kubeletVersion: "v1.32.0-flotilla",
  } as JoinRequest["nodeInfo"],
  addresses: [{ type: "InternalIP", address: "10.0.0.5" }],
  labels: { zone: "a" },
});

/** A sync that reports nothing, with `extra` fields. */
export const syncRequest = (nodeName: string, extra: Partial<SyncRequest> = {}): SyncRequest => ({
  nodeName,
  podStatuses: [],
  terminated: [],
  events: [],
  known: [],
  waitSeconds: 0,
  ...extra,
});

/** A pod in "default" bound to `nodeName`; `extra` goes into its one container. */
export const boundPod = (ctx: ApiContext, name: string, nodeName: string, extra: Record<string, unknown> = {}) =>
  createTestPod(ctx, name, { nodeName, containers: [{ name: "c", image: "busybox", ...extra }] });
