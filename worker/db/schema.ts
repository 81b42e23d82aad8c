// D1 tables of the public API: plans and their limits, accounts, account API tokens, the index
// of clusters, and recent sign-up / failed-login attempts per client address (for rate limits).
// Secrets are never stored: passwords as PBKDF2 hashes, tokens as SHA-256 hashes.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const plans = sqliteTable("plans", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  maxClusters: integer("max_clusters").notNull(),
  nodes: integer("nodes").notNull(),
  pods: integer("pods").notNull(),
  objects: integer("objects").notNull(),
  storedBytes: integer("stored_bytes").notNull(),
  requestsPerSecond: integer("requests_per_second").notNull(),
  /** Requests per second to the cluster's published Services (the public URL), apart from the API's. */
  publicRequestsPerSecond: integer("public_requests_per_second").notNull().default(20),
  /** The largest request body the public URL takes. */
  publicBodyBytes: integer("public_body_bytes").notNull().default(1048576),
  /** A cluster unused this long is deleted by its own alarm; 0 keeps it forever. */
  idleTtlSeconds: integer("idle_ttl_seconds").notNull(),
});

export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  /** Lower-cased and trimmed, so one address is one account. */
  email: text("email").notNull().unique(),
  /** PBKDF2-SHA-256 of the password, hex. */
  passwordHash: text("password_hash").notNull(),
  passwordSalt: text("password_salt").notNull(),
  passwordIterations: integer("password_iterations").notNull(),
  plan: text("plan")
    .notNull()
    .references(() => plans.id),
  createdAt: integer("created_at").notNull(),
});

export const accountTokens = sqliteTable(
  "account_tokens",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** SHA-256 of the token, hex; the token itself is shown once and never stored. */
    hash: text("hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
  },
  (t) => [index("account_tokens_account").on(t.accountId)],
);

export const clusters = sqliteTable(
  "clusters",
  {
    /** Random, unguessable: also the name of the cluster's Durable Object. */
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    plan: text("plan")
      .notNull()
      .references(() => plans.id),
    createdAt: integer("created_at").notNull(),
    /** As last reported by the cluster's object (it extends its own expiry on every authenticated use). */
    lastActiveAt: integer("last_active_at").notNull(),
    /** null: never expires. */
    expiresAt: integer("expires_at"),
    deletedAt: integer("deleted_at"),
    deletedReason: text("deleted_reason", { enum: ["deleted", "expired"] }),
  },
  (t) => [
    index("clusters_account").on(t.accountId),
    // Names are unique among an account's live clusters; a deleted cluster's name can be reused.
    uniqueIndex("clusters_account_name_live").on(t.accountId, t.name).where(sql`deleted_at IS NULL`),
  ],
);

export const attempts = sqliteTable(
  "attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["signup", "login-failure"] }).notNull(),
    /** SHA-256 of the client address: enough to count, nothing to leak. */
    addressHash: text("address_hash").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("attempts_lookup").on(t.kind, t.addressHash, t.at)],
);
