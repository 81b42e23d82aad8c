// Node heartbeats, held in memory and written to the `leases` table in batches. Every sync renews its
// node's lease; writing each renewal cost more than the rest of an idle sync (a drizzle statement built
// and run per request: bench/heartbeats.ts --cpu-profile). A restart loses at most FLUSH_MS of renewals,
// so a lease can look that much older than it is: far inside its 40 s duration and the 50 s grace period.
import { inArray, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { leases } from "../store/schema.ts";
import type { LeaseRow } from "./heartbeat.ts";

/** How long renewals gather before they are written. */
export const LEASE_FLUSH_MS = 5_000;

/** Rows per statement: Durable Objects' SQLite takes at most 100 bound parameters per query. */
const ROWS_PER_STATEMENT = 33;

export class LeaseTable {
  #db: DrizzleSqliteDODatabase;
  #rows = new Map<string, LeaseRow>();
  #dirty = new Set<string>();
  #flushedAt: number;

  constructor(db: DrizzleSqliteDODatabase, now: number) {
    this.#db = db;
    this.#flushedAt = now;
    for (const row of db.select().from(leases).all()) this.#rows.set(row.node, row);
  }

  /** Renews a node's lease; renewals reach storage at most LEASE_FLUSH_MS later. */
  renew(node: string, now: number, durationSeconds: number): void {
    this.#rows.set(node, { node, renewTime: now, durationSeconds });
    this.#dirty.add(node);
    if (now - this.#flushedAt >= LEASE_FLUSH_MS) this.flush(now);
  }

  rows(): LeaseRow[] {
    return [...this.#rows.values()];
  }

  /** Forgets a node's lease (its Node is gone). */
  drop(nodes: readonly string[]): void {
    if (nodes.length === 0) return;
    for (const node of nodes) {
      this.#rows.delete(node);
      this.#dirty.delete(node);
    }
    for (let i = 0; i < nodes.length; i += ROWS_PER_STATEMENT)
      this.#db
        .delete(leases)
        .where(inArray(leases.node, nodes.slice(i, i + ROWS_PER_STATEMENT)))
        .run();
  }

  /** Writes every renewal not yet written. */
  flush(now: number): void {
    this.#flushedAt = now;
    if (this.#dirty.size === 0) return;
    const rows = [...this.#dirty].flatMap((node) => this.#rows.get(node) ?? []);
    this.#dirty.clear();
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
      this.#db
        .insert(leases)
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflictDoUpdate({
          target: leases.node,
          set: { renewTime: sql`excluded.renew_time`, durationSeconds: sql`excluded.duration_seconds` },
        })
        .run();
  }
}
