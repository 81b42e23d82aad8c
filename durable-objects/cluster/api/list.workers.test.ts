// Paged lists over a real store on Durable Object SQLite, counting the work a page does: a page must
// cost what it returns, not what the resource holds (issue 22), and a write between two lists must
// not make the next list sort every key again.
import { env, runInDurableObject } from "cloudflare:test";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { afterEach, describe, expect, it, vi } from "vitest";
import migrations from "../../../migrations/cluster/migrations.js";
import type { KubeObject } from "../../../kube/types.ts";
import { configMaps } from "../registry/configmaps.ts";
import { ObjectStore } from "../store/object-store.ts";
import type { ApiContext } from "../context.ts";
import { listEntries } from "./list.ts";
import { listOptions } from "./options.ts";

const N = 3000;
const cm = (ns: string, i: number): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: `cm-${String(i).padStart(5, "0")}`,
    namespace: ns,
    uid: `${ns}-${i}`,
    labels: { odd: String(i % 2) },
  },
  data: { i: String(i) },
});

/** N configmaps in "b" (and a few in "a" and "c" around it), then a store reopened over them: nothing parsed yet. */
async function withSeededStore<T>(fn: (open: () => ObjectStore) => T): Promise<T> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  const stub = ns.get(ns.newUniqueId());
  return runInDurableObject(stub, async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    const open = () => new ObjectStore(db, state.storage, 20);
    const store = open();
    store.transaction(() => {
      for (let i = 0; i < N; i++) store.put("configmaps", cm("b", i), "ADDED");
      for (let i = 0; i < 5; i++) store.put("configmaps", cm("a", i), "ADDED");
      for (let i = 0; i < 5; i++) store.put("configmaps", cm("c", i), "ADDED");
    });
    return fn(open);
  });
}

/** A page of namespace "b", or of all namespaces with `everywhere`. */
const page = (store: ObjectStore, query: string, everywhere = false) =>
  listEntries(
    { store } as unknown as ApiContext,
    configMaps,
    everywhere ? undefined : "b",
    listOptions(new URLSearchParams(query)),
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe("paged lists", () => {
  it("reads only the objects of the page (plus one), wherever the page is", async () => {
    await withSeededStore((open) => {
      const store = open();
      const first = page(store, "limit=100");
      const token = first.metadata.continue!;
      // A fresh store parses an object the first time it is read: count the parses of the second page.
      const fresh = open();
      const parse = vi.spyOn(JSON, "parse");
      const second = page(fresh, `limit=100&continue=${encodeURIComponent(token)}`);
      const parsedObjects = parse.mock.calls.filter(([text]) => String(text).includes('"kind":"ConfigMap"')).length;
      parse.mockRestore();
      expect(second.entries.map((e) => e.object.metadata.name)).toEqual(
        Array.from({ length: 100 }, (_, i) => `cm-${String(100 + i).padStart(5, "0")}`),
      );
      // The old page walked (and parsed) all 2,900 objects after its continue key to count the rest.
      expect(parsedObjects).toBeLessThanOrEqual(101 + 100);
      expect(second.metadata.remainingItemCount).toBe(N - 200);
    });
  });

  it("counts the remaining items of a namespace, and of all namespaces, exactly", async () => {
    await withSeededStore((open) => {
      const store = open();
      let token: string | undefined;
      let seen = 0;
      do {
        const p = page(store, `limit=700${token ? `&continue=${encodeURIComponent(token)}` : ""}`);
        seen += p.entries.length;
        token = p.metadata.continue;
        expect(p.metadata.remainingItemCount ?? 0).toBe(N - seen);
        expect(p.entries.every((e) => e.object.metadata.namespace === "b")).toBe(true);
      } while (token);
      expect(seen).toBe(N);
      const all = page(store, "limit=3", true);
      expect(all.entries.map((e) => e.key)).toEqual([
        "configmaps/a/cm-00000",
        "configmaps/a/cm-00001",
        "configmaps/a/cm-00002",
      ]);
      expect(all.metadata.remainingItemCount).toBe(N + 10 - 3);
    });
  });

  it("leaves remainingItemCount out when a selector filters the list, as upstream does", async () => {
    await withSeededStore((open) => {
      const p = page(open(), "limit=10&labelSelector=odd%3D1");
      expect(p.entries.map((e) => e.object.metadata.name)).toEqual(
        Array.from({ length: 10 }, (_, i) => `cm-${String(2 * i + 1).padStart(5, "0")}`),
      );
      expect(p.metadata.continue).toBeTruthy();
      expect(p.metadata.remainingItemCount).toBeUndefined();
    });
  });

  it("keeps its key order through creates and deletes without sorting all keys again", async () => {
    await withSeededStore((open) => {
      const store = open();
      page(store, "limit=1");
      const sort = vi.spyOn(Array.prototype, "sort");
      for (let i = 0; i < 50; i++) {
        store.put("configmaps", cm("b", N + 50 - i), "ADDED");
        store.delete("configmaps", store.get("configmaps", "b", `cm-${String(i * 10).padStart(5, "0")}`)!.object);
        const first = page(store, "limit=1");
        expect(first.metadata.remainingItemCount).toBe(N - 1);
      }
      // The old table dropped its sorted keys on every new key and sorted all of them on the next list.
      expect(sort).not.toHaveBeenCalled();
      sort.mockRestore();
      const names = store.list("configmaps", "b").map((e) => e.object.metadata.name!);
      expect(names).toEqual([...names].sort());
      expect(names).toHaveLength(N);
    });
  });
});
