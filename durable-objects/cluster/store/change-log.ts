// The bounded change log behind watch resume. It keeps the newest `limit` changes; a watch
// that asks for anything older is told 410 Gone and relists, as with etcd compaction.
import { desc, gt, lte, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { changes, meta } from "./schema.ts";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

const COMPACTED_KEY = "compactedThrough";

export class ChangeLog {
  #db: DrizzleSqliteDODatabase;
  #limit: number;
  #compactedThrough: number;
  #latest = 0;
  #insert;

  constructor(db: DrizzleSqliteDODatabase, limit: number) {
    this.#db = db;
    this.#limit = limit;
    const row = db.select().from(meta).where(sql`${meta.key} = ${COMPACTED_KEY}`).get();
    this.#compactedThrough = row ? Number(row.value) : 0;
    this.#latest =
      db.select({ revision: changes.revision }).from(changes).orderBy(desc(changes.revision)).limit(1).get()
        ?.revision ?? this.#compactedThrough;
    this.#insert = db
      .insert(changes)
      .values({
        revision: sql.placeholder("revision"),
        type: sql.placeholder("type"),
        key: sql.placeholder("key"),
        body: sql.placeholder("body"),
      })
      .prepare();
  }

  /** Every change up to and including this revision is gone from the log. */
  get compactedThrough(): number {
    return this.#compactedThrough;
  }

  latestRevision(): number {
    return this.#latest;
  }

  append(revision: number, type: ChangeType, key: string, body: string): void {
    this.#insert.run({ revision, type, key, body });
    this.#latest = revision;
  }

  /** Drops the oldest entries once the log is a tenth over its limit, so deletes come in batches. */
  compactIfDue(): void {
    const overflow = this.#latest - this.#compactedThrough - this.#limit;
    if (overflow < Math.max(1, Math.floor(this.#limit / 10))) return;
    const through = this.#latest - this.#limit;
    this.#db.delete(changes).where(lte(changes.revision, through)).run();
    this.#db
      .insert(meta)
      .values({ key: COMPACTED_KEY, value: String(through) })
      .onConflictDoUpdate({ target: meta.key, set: { value: String(through) } })
      .run();
    this.#compactedThrough = through;
  }

  since(revision: number): { revision: number; type: ChangeType; key: string; body: string }[] {
    return this.#db.select().from(changes).where(gt(changes.revision, revision)).orderBy(changes.revision).all();
  }
}
