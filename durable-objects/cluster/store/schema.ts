// The cluster object's SQLite tables. `objects` is the current state, `changes` a bounded
// log for watch resume, `meta` small counters, `credentials` hashed tokens, and
// `leases` node heartbeats kept outside the revision history.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const objects = sqliteTable("objects", {
  /** `<resource>/<namespace>/<name>`; the namespace is empty for cluster-scoped kinds. */
  key: text("key").primaryKey(),
  resource: text("resource").notNull(),
  revision: integer("revision").notNull(),
  body: text("body").notNull(),
});

export const changes = sqliteTable("changes", {
  revision: integer("revision").primaryKey(),
  type: text("type", { enum: ["ADDED", "MODIFIED", "DELETED"] }).notNull(),
  key: text("key").notNull(),
  body: text("body").notNull(),
});

export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const credentials = sqliteTable("credentials", {
  id: text("id").primaryKey(),
  /** SHA-256 of the token, hex; the token itself is never stored. */
  hash: text("hash").notNull().unique(),
  role: text("role", { enum: ["admin", "view", "join", "node", "user"] }).notNull(),
  /** For node credentials: the only node it may act as; for shared-access users: the username. */
  subject: text("subject"),
  /** For shared-access users: their groups, a JSON array of strings. */
  groups: text("groups"),
  expiresAt: integer("expires_at"),
  createdAt: integer("created_at").notNull(),
});

export const leases = sqliteTable("leases", {
  node: text("node").primaryKey(),
  renewTime: integer("renew_time").notNull(),
  durationSeconds: integer("duration_seconds").notNull(),
});
