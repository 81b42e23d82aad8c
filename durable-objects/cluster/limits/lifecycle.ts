// A provisioned cluster's record (its id, plan and birth) and its idle expiry. Both live in the
// store's `meta` table, written with plain SQL: the record's presence is what makes an object a
// cluster, and an object without it serves nothing and stores nothing.
import { type ClusterPlan, withPlanDefaults } from "./types.ts";

export interface ClusterRecord {
  id: string;
  plan: ClusterPlan;
  createdAt: number;
  /** The issuer of the cluster's ServiceAccount tokens (its public API URL); absent on older clusters. */
  issuer?: string;
}

const RECORD_KEY = "flotilla.cluster";
const ACTIVE_KEY = "flotilla.lastActive";

/** Activity is written at most this often: expiry may come this much early after an eviction, never late. */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

function metaValue(sql: SqlStorage, key: string): string | undefined {
  const table = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray();
  if (table.length === 0) return undefined;
  const rows = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray();
  return rows[0]?.value;
}

function setMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    key,
    value,
  );
}

/** The record, if this object is a provisioned cluster. Reads nothing but SQLite's catalogue otherwise. */
export function readRecord(sql: SqlStorage): ClusterRecord | undefined {
  const raw = metaValue(sql, RECORD_KEY);
  if (raw === undefined) return undefined;
  const record = JSON.parse(raw) as ClusterRecord;
  return { ...record, plan: withPlanDefaults(record.plan) };
}

/** Needs the store's tables (migrations applied). */
export function writeRecord(sql: SqlStorage, record: ClusterRecord): void {
  setMeta(sql, RECORD_KEY, JSON.stringify(record));
  setMeta(sql, ACTIVE_KEY, String(record.createdAt));
}

/** Total serialized size of the stored objects, read once when the object wakes. */
export function storedBytes(sql: SqlStorage): number {
  const rows = sql.exec<{ bytes: number }>("SELECT coalesce(sum(length(body)), 0) AS bytes FROM objects").toArray();
  return Number(rows[0]?.bytes ?? 0);
}

/** When the cluster was last used, kept in memory on every request and persisted now and then. */
export class Activity {
  #sql: SqlStorage;
  #ttlMs: number;
  #last: number;
  #persisted: number;

  constructor(sql: SqlStorage, record: ClusterRecord) {
    this.#sql = sql;
    this.#ttlMs = record.plan.idleTtlSeconds * 1000;
    this.#last = this.#persisted = Number(metaValue(sql, ACTIVE_KEY) ?? record.createdAt);
  }

  get lastActive(): number {
    return this.#last;
  }

  /** The idle deadline, or null when the plan keeps clusters forever. */
  get deadline(): number | null {
    return this.#ttlMs > 0 ? this.#last + this.#ttlMs : null;
  }

  touch(now: number): void {
    if (now <= this.#last) return;
    this.#last = now;
    if (now - this.#persisted < ACTIVITY_WRITE_INTERVAL_MS) return;
    this.#persisted = now;
    setMeta(this.#sql, ACTIVE_KEY, String(now));
  }
}

/**
 * Tells the cluster index (D1, owned by the Worker) that the cluster expired. The column names
 * are the contract with worker/db/schema.ts. Best effort: the Worker also treats a cluster whose
 * object reports itself gone as deleted.
 */
export async function markExpiredInIndex(db: D1Database | undefined, clusterId: string, now: number): Promise<void> {
  if (!db) return;
  try {
    await db
      .prepare("UPDATE clusters SET deleted_at = ?1, deleted_reason = 'expired' WHERE id = ?2 AND deleted_at IS NULL")
      .bind(now, clusterId)
      .run();
  } catch (err) {
    console.error(`cluster ${clusterId}: could not mark it expired in the index`, err);
  }
}
