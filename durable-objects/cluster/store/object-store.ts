// The object store: every object held in memory (parsed and serialized), SQLite as the
// durable copy. Each write bumps the cluster's one revision counter, stamps
// metadata.resourceVersion, and lands in `objects` and the `changes` log inside the same
// synchronous transaction, so memory is never ahead of disk.
import { eq, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { KubeObject } from "../../../kube/types.ts";
import { ChangeLog, type ChangeType } from "./change-log.ts";
import { byOwnerUid, byUid, orphansByNamespace, SecondaryIndex } from "./index-by.ts";
import { objectKey, resourcePrefix } from "./keys.ts";
import { objects } from "./schema.ts";
import { SortedKeys } from "./sorted-keys.ts";

export interface StoredEntry {
  readonly key: string;
  readonly resource: string;
  readonly object: KubeObject;
  /** The object serialized once at write time, so lists and watches never re-serialize it. */
  readonly json: string;
  readonly revision: number;
}

export interface Change {
  type: ChangeType;
  entry: StoredEntry;
  /** The state before this change, when known (live changes; not those replayed from the log). */
  previous?: StoredEntry;
}

export type ChangeListener = (change: Change) => void;

/**
 * The one thing the store needs of DurableObjectStorage. Typed structurally because kind hooks take
 * the cluster's context, so Node-side code reading the registry (scripts/, kube/) sees this file too.
 */
interface SyncTransactions {
  transactionSync<T>(closure: () => T): T;
}

export class ObjectStore {
  #db: DrizzleSqliteDODatabase;
  #storage: SyncTransactions;
  #log: ChangeLog;
  #tables = new Map<string, ResourceTable>();
  #revision = 0;
  #listeners = new Set<ChangeListener>();
  readonly owners = new SecondaryIndex(byOwnerUid, () => this.#allEntries());
  readonly uids = new SecondaryIndex(byUid, () => this.#allEntries());
  readonly orphans = new SecondaryIndex(orphansByNamespace, () => this.#allEntries());
  /** Set while a transaction runs: how to undo memory, and the changes to announce on commit. */
  #txn: { undo: (() => void)[]; changes: Change[] } | null = null;
  #upsert;
  #remove;

  constructor(db: DrizzleSqliteDODatabase, storage: SyncTransactions, logLimit: number) {
    this.#db = db;
    this.#storage = storage;
    this.#log = new ChangeLog(db, logLimit);
    this.#upsert = db
      .insert(objects)
      .values({
        key: sql.placeholder("key"),
        resource: sql.placeholder("resource"),
        revision: sql.placeholder("revision"),
        body: sql.placeholder("body"),
      })
      .onConflictDoUpdate({
        target: objects.key,
        set: { revision: sql`excluded.revision`, body: sql`excluded.body` },
      })
      .prepare();
    this.#remove = db
      .delete(objects)
      .where(eq(objects.key, sql.placeholder("key")))
      .prepare();
    this.#load();
  }

  /** Loads every row as text; each object is parsed the first time something reads it. */
  #load(): void {
    const rows = this.#db.select().from(objects).all();
    for (const row of rows) {
      this.#table(row.resource).set(new LoadedEntry(row.key, row.resource, row.body, row.revision));
      if (row.revision > this.#revision) this.#revision = row.revision;
    }
    this.#revision = Math.max(this.#revision, this.#log.latestRevision());
  }

  *#allEntries(): Iterable<StoredEntry> {
    for (const table of this.#tables.values()) yield* table.entries();
  }

  get revision(): number {
    return this.#revision;
  }

  /** The oldest revision a watch may resume from; older ones answer 410 Gone. */
  get oldestResumableRevision(): number {
    return this.#log.compactedThrough;
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** An entry by its full store key (as secondary indexes return them). */
  getByKey(key: string): StoredEntry | undefined {
    return this.#tables.get(key.slice(0, key.indexOf("/")))?.get(key);
  }

  get(resource: string, namespace: string | undefined, name: string): StoredEntry | undefined {
    return this.#tables.get(resource)?.get(objectKey(resource, namespace, name));
  }

  /** Objects of a resource in key order (namespace, then name), optionally in one namespace. */
  list(resource: string, namespace?: string): readonly StoredEntry[] {
    return [...this.scan(resource, namespace)];
  }

  /**
   * Objects of a resource in key order, optionally in one namespace and only those after the key
   * `after`, read lazily: a list page costs what it returns, not what the resource holds. No writes
   * between two reads of one scan.
   */
  scan(resource: string, namespace?: string, after?: string): Iterable<StoredEntry> {
    return this.#tables.get(resource)?.scan(resourcePrefix(resource, namespace), after) ?? [];
  }

  /** How many objects `scan` would still read after the key `after` (O(chunks), no object visited). */
  countAfter(resource: string, namespace: string | undefined, after: string): number {
    return this.#tables.get(resource)?.countAfter(resourcePrefix(resource, namespace), after) ?? 0;
  }

  count(resource?: string): number {
    if (resource !== undefined) return this.#tables.get(resource)?.size ?? 0;
    let n = 0;
    for (const t of this.#tables.values()) n += t.size;
    return n;
  }

  /** Writes an object (create or update), stamping resourceVersion with a new revision. */
  put(resource: string, object: KubeObject, type: "ADDED" | "MODIFIED"): StoredEntry {
    return this.transaction(() => {
      const revision = this.#revision + 1;
      object.metadata.resourceVersion = String(revision);
      const key = objectKey(resource, object.metadata.namespace, object.metadata.name!);
      const entry: StoredEntry = { key, resource, object, json: JSON.stringify(object), revision };
      this.#upsert.run({ key, resource, revision, body: entry.json });
      this.#log.append(revision, type, key, entry.json);
      this.#commitToMemory(entry, type);
      return entry;
    });
  }

  /** Removes an object; the DELETED change carries its last state at a new revision. */
  delete(resource: string, object: KubeObject): StoredEntry {
    return this.transaction(() => {
      const revision = this.#revision + 1;
      const last = structuredClone(object);
      last.metadata.resourceVersion = String(revision);
      const key = objectKey(resource, object.metadata.namespace, object.metadata.name!);
      const entry: StoredEntry = { key, resource, object: last, json: JSON.stringify(last), revision };
      this.#remove.run({ key });
      this.#log.append(revision, "DELETED", key, entry.json);
      this.#commitToMemory(entry, "DELETED");
      return entry;
    });
  }

  /**
   * Runs writes atomically: SQLite through transactionSync, memory through an undo log, and
   * listeners hear of the changes only after the commit. Nested calls join the outer one.
   */
  transaction<T>(fn: () => T): T {
    if (this.#txn) return fn();
    const txn = { undo: [] as (() => void)[], changes: [] as Change[] };
    this.#txn = txn;
    let result: T;
    try {
      result = this.#storage.transactionSync(() => {
        const value = fn();
        this.#log.compactIfDue();
        return value;
      });
    } catch (err) {
      for (const undo of txn.undo.reverse()) undo();
      throw err;
    } finally {
      this.#txn = null;
    }
    for (const change of txn.changes) for (const listener of this.#listeners) listener(change);
    return result;
  }

  /** Changes after `revision`, oldest first; callers check oldestResumableRevision first. */
  changesSince(revision: number): Change[] {
    return this.#log.since(revision).map((row) => {
      const resource = row.key.slice(0, row.key.indexOf("/"));
      const object = JSON.parse(row.body) as KubeObject;
      return { type: row.type, entry: { key: row.key, resource, object, json: row.body, revision: row.revision } };
    });
  }

  #commitToMemory(entry: StoredEntry, type: ChangeType): void {
    const txn = this.#txn!;
    const table = this.#table(entry.resource);
    const previous = table.get(entry.key);
    const previousRevision = this.#revision;
    const after = type === "DELETED" ? undefined : entry;
    this.#place(table, entry.key, previous, after);
    this.#revision = entry.revision;
    txn.undo.push(() => {
      this.#place(table, entry.key, after, previous);
      this.#revision = previousRevision;
    });
    txn.changes.push({ type, entry, previous });
  }

  #place(table: ResourceTable, key: string, before: StoredEntry | undefined, after: StoredEntry | undefined): void {
    if (after) table.set(after);
    else table.delete(key);
    this.owners.update(table.resource, key, before?.object, after?.object);
    this.uids.update(table.resource, key, before?.object, after?.object);
    this.orphans.update(table.resource, key, before?.object, after?.object);
  }

  #table(resource: string): ResourceTable {
    let table = this.#tables.get(resource);
    if (!table) {
      table = new ResourceTable(resource);
      this.#tables.set(resource, table);
    }
    return table;
  }
}

/** An entry read from SQLite: its JSON is parsed on first use. */
class LoadedEntry implements StoredEntry {
  readonly key: string;
  readonly resource: string;
  readonly json: string;
  readonly revision: number;
  #object: KubeObject | undefined;

  constructor(key: string, resource: string, json: string, revision: number) {
    this.key = key;
    this.resource = resource;
    this.json = json;
    this.revision = revision;
  }

  get object(): KubeObject {
    this.#object ??= JSON.parse(this.json) as KubeObject;
    return this.#object;
  }
}

/** One resource's objects and their keys in order (built on the first ordered read, then kept current). */
class ResourceTable {
  readonly resource: string;
  #entries = new Map<string, StoredEntry>();
  #sorted: SortedKeys | null = null;

  constructor(resource: string) {
    this.resource = resource;
  }

  get size(): number {
    return this.#entries.size;
  }
  get(key: string): StoredEntry | undefined {
    return this.#entries.get(key);
  }
  entries(): Iterable<StoredEntry> {
    return this.#entries.values();
  }
  set(entry: StoredEntry): void {
    if (!this.#entries.has(entry.key)) this.#sorted?.insert(entry.key);
    this.#entries.set(entry.key, entry);
  }
  delete(key: string): void {
    if (this.#entries.delete(key)) this.#sorted?.delete(key);
  }
  #keys(): SortedKeys {
    this.#sorted ??= SortedKeys.of(this.#entries.keys());
    return this.#sorted;
  }
  /** Entries whose keys start with prefix, from just after `after` when given, read lazily in key order. */
  *scan(prefix: string, after?: string): Generator<StoredEntry> {
    const start = after !== undefined && after > prefix ? after : prefix;
    for (const key of this.#keys().from(start, start === after)) {
      if (!key.startsWith(prefix)) return;
      yield this.#entries.get(key)!;
    }
  }
  /** How many keys start with prefix and sort after `after`: by rank, without visiting them. */
  countAfter(prefix: string, after: string): number {
    const keys = this.#keys();
    // Every key with the prefix sorts before prefix + U+FFFF (no key holds that character).
    return Math.max(0, keys.rank(`${prefix}\uffff`) - keys.rank(after > prefix ? after : prefix, after > prefix));
  }
}
