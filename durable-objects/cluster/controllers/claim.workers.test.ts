// A claim over a real store on Durable Object SQLite: it must read the owner's own objects and the
// namespace's orphans through the store's indexes, not walk the namespace (issue 22: every pod write
// made its ReplicaSet's claim visit every pod of the namespace).
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it, vi } from "vitest";
import migrations from "../../../migrations/cluster/migrations.js";
import type { KubeObject } from "../../../kube/types.ts";
import { ObjectStore } from "../store/object-store.ts";
import { claim } from "./claim.ts";
import { newControllerRef } from "./pods.ts";
import type { Writer } from "./writes.ts";

const rs = (name: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: { name, namespace: "default", uid: `uid-${name}` },
});

const pod = (name: string, app: string, owner?: KubeObject): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "default",
    uid: `uid-${name}`,
    labels: { app },
    ...(owner ? { ownerReferences: [newControllerRef(owner)] } : {}),
  },
});

async function withStore<T>(fn: (store: ObjectStore) => T): Promise<T> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  return runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    return fn(new ObjectStore(db, state.storage, 20));
  });
}

describe("claim", () => {
  it("reads the owner's objects and the orphans by index, never the whole namespace", async () => {
    await withStore((store) => {
      const mine = rs("mine");
      const other = rs("other");
      store.transaction(() => {
        for (let i = 0; i < 2000; i++) store.put("pods", pod(`other-${i}`, "web", other), "ADDED");
        for (let i = 0; i < 3; i++) store.put("pods", pod(`mine-${i}`, "web", mine), "ADDED");
        store.put("pods", pod("orphan-db", "db"), "ADDED");
      });
      // Only the store is used while nothing is adopted or released.
      const writer = { ctx: { store } } as unknown as Writer;
      const list = vi.spyOn(store, "list");
      const scan = vi.spyOn(store, "scan");
      const claimed = claim(writer, mine, [{ key: "app", operator: "in", values: ["web"] }], { resource: "pods" });
      expect(claimed.map((p) => p.metadata.name)).toEqual(["mine-0", "mine-1", "mine-2"]);
      // The old claim listed all 2,004 pods of the namespace on every call.
      expect(list).not.toHaveBeenCalled();
      expect(scan).not.toHaveBeenCalled();
      vi.restoreAllMocks();
    });
  });

  it("keeps the orphan index current through adoption, release and a rolled-back transaction", async () => {
    await withStore((store) => {
      const owner = rs("o");
      store.put("pods", pod("p", "web"), "ADDED");
      expect(store.orphans.keys("pods/default")).toEqual(["pods/default/p"]);
      store.put("pods", pod("p", "web", owner), "MODIFIED");
      expect(store.orphans.keys("pods/default")).toEqual([]);
      expect(() =>
        store.transaction(() => {
          store.put("pods", pod("p", "web"), "MODIFIED");
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(store.orphans.keys("pods/default")).toEqual([]);
      store.put("pods", pod("p", "web"), "MODIFIED");
      expect(store.orphans.keys("pods/default")).toEqual(["pods/default/p"]);
      store.delete("pods", store.get("pods", "default", "p")!.object);
      expect(store.orphans.keys("pods/default")).toEqual([]);
    });
  });
});
