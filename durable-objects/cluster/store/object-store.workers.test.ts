// The store on real Durable Object SQLite: write-through, atomic transactions, compaction.
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it } from "vitest";
import migrations from "../../../migrations/cluster/migrations.js";
import type { KubeObject } from "../../../kube/types.ts";
import { ObjectStore } from "./object-store.ts";

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", uid: name },
  data,
});

/** Runs `fn` with a fresh store inside a real Durable Object's storage. */
async function withStore<T>(fn: (open: () => ObjectStore) => T | Promise<T>): Promise<T> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  const stub = ns.get(ns.newUniqueId());
  return runInDurableObject(stub, async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    return fn(() => new ObjectStore(db, state.storage, 20));
  });
}

describe("ObjectStore", () => {
  it("writes through: a second store over the same SQLite sees the same objects and revision", async () => {
    await withStore((open) => {
      const store = open();
      const base = store.revision;
      store.put("configmaps", cm("a"), "ADDED");
      store.put("configmaps", cm("b"), "ADDED");
      store.delete("configmaps", store.get("configmaps", "default", "a")!.object);
      const reopened = open();
      expect(reopened.revision).toBe(base + 3);
      expect(reopened.list("configmaps").map((e) => e.object.metadata.name)).toEqual(["b"]);
      expect(reopened.get("configmaps", "default", "b")!.object.metadata.resourceVersion).toBe(String(base + 2));
    });
  });

  it("rolls memory and SQLite back together when a transaction throws", async () => {
    await withStore((open) => {
      const store = open();
      store.put("configmaps", cm("keep", { v: "1" }), "ADDED");
      const before = store.revision;
      const heard: string[] = [];
      store.onChange((c) => heard.push(c.entry.key));
      expect(() =>
        store.transaction(() => {
          store.put("configmaps", cm("keep", { v: "2" }), "MODIFIED");
          store.put("configmaps", cm("new"), "ADDED");
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(store.revision).toBe(before);
      expect(store.get("configmaps", "default", "keep")!.object.data).toEqual({ v: "1" });
      expect(store.get("configmaps", "default", "new")).toBeUndefined();
      expect(store.owners.keys("x")).toEqual([]);
      expect(heard).toEqual([]);
      const reopened = open();
      expect(reopened.revision).toBe(before);
      expect(reopened.get("configmaps", "default", "keep")!.object.data).toEqual({ v: "1" });
      expect(reopened.get("configmaps", "default", "new")).toBeUndefined();
    });
  });

  it("keeps a bounded change log and reports how far it was compacted", async () => {
    await withStore((open) => {
      const store = open();
      for (let i = 0; i < 30; i++) store.put("configmaps", cm("n", { i: String(i) }), i === 0 ? "ADDED" : "MODIFIED");
      expect(store.oldestResumableRevision).toBeGreaterThan(0);
      const replay = store.changesSince(store.oldestResumableRevision);
      expect(replay.length).toBeLessThanOrEqual(22);
      expect(replay.at(-1)!.entry.object.data).toEqual({ i: "29" });
      expect(open().oldestResumableRevision).toBe(store.oldestResumableRevision);
    });
  });

  it("indexes dependents by owner uid", async () => {
    await withStore((open) => {
      const store = open();
      const dep = cm("dep");
      dep.metadata.ownerReferences = [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: "owner-uid" }];
      store.put("configmaps", dep, "ADDED");
      expect(store.owners.keys("owner-uid")).toEqual(["configmaps/default/dep"]);
      store.delete("configmaps", dep);
      expect(store.owners.keys("owner-uid")).toEqual([]);
    });
  });
});
