// Heartbeats held in memory and written in batches, on a real Durable Object's SQLite: a table built
// again from storage (a restart) sees every renewal older than the flush interval, and none is lost
// when more nodes renew than one statement can carry.
import { env, runInDurableObject } from "cloudflare:test";
import { type DrizzleSqliteDODatabase, drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import { describe, expect, it } from "vitest";
import migrations from "../../../migrations/cluster/migrations.js";
import { LEASE_FLUSH_MS, LeaseTable } from "./lease-table.ts";

async function withDb(fn: (db: DrizzleSqliteDODatabase) => void): Promise<void> {
  const ns = (env as unknown as { CLUSTER: DurableObjectNamespace }).CLUSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    const db = drizzle(state.storage);
    await migrate(db, migrations);
    fn(db);
  });
}

const byNode = (table: LeaseTable) => Object.fromEntries(table.rows().map((r) => [r.node, r.renewTime]));

describe("lease table", () => {
  it("answers from memory at once and reaches storage once the flush interval passed", async () => {
    await withDb((db) => {
      const table = new LeaseTable(db, 0);
      table.renew("n1", 1_000, 40);
      expect(byNode(table)).toEqual({ n1: 1_000 });
      expect(byNode(new LeaseTable(db, 0))).toEqual({});
      table.renew("n2", LEASE_FLUSH_MS, 40);
      expect(byNode(new LeaseTable(db, 0))).toEqual({ n1: 1_000, n2: LEASE_FLUSH_MS });
      // A renewal overwrites the stored row, duration included.
      table.renew("n1", 2 * LEASE_FLUSH_MS, 60);
      expect(new LeaseTable(db, 0).rows().find((r) => r.node === "n1")).toEqual({
        node: "n1",
        renewTime: 2 * LEASE_FLUSH_MS,
        durationSeconds: 60,
      });
    });
  });

  it("writes a thousand renewals in one flush, and forgets dropped nodes in memory and storage", async () => {
    await withDb((db) => {
      const table = new LeaseTable(db, 0);
      const nodes = Array.from({ length: 1_000 }, (_, i) => `n${i}`);
      for (const node of nodes) table.renew(node, 10, 40);
      table.flush(20);
      expect(new LeaseTable(db, 0).rows()).toHaveLength(1_000);
      table.drop(nodes.slice(0, 500));
      expect(table.rows()).toHaveLength(500);
      expect(new LeaseTable(db, 0).rows().map((r) => r.node)).toEqual(expect.arrayContaining(nodes.slice(500)));
      expect(new LeaseTable(db, 0).rows()).toHaveLength(500);
    });
  });
});
