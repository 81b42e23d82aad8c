// The cluster's own credentials, checked inside its object so a kubectl request costs one
// hop. Only SHA-256 hashes of tokens are stored; lookups go through an in-memory map
// keyed by hash, so comparing a token never branches on its characters.
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { credentials } from "../store/schema.ts";
import { newClusterSecret, newTokenId } from "./tokens.ts";

export type Role = "admin" | "view" | "join" | "node" | "user";

export interface Credential {
  id: string;
  role: Role;
  /** A node credential's node; a shared-access user's username. */
  subject: string | null;
  /** A shared-access user's groups (empty for every other role). */
  groups: string[];
  expiresAt: number | null;
}

/** A token as listed: never the secret itself. */
export interface TokenInfo {
  id: string;
  role: Role;
  createdAt: number;
  expiresAt: number | null;
}

/** A shared-access user's token as listed. */
export interface UserTokenInfo {
  id: string;
  username: string;
  groups: string[];
  createdAt: number;
  expiresAt: number | null;
}

/** A token just issued: the only time its secret is seen. */
export interface IssuedToken extends TokenInfo {
  token: string;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function credentialOf(row: typeof credentials.$inferSelect): Credential {
  const groups: unknown = row.groups ? JSON.parse(row.groups) : [];
  return {
    id: row.id,
    role: row.role,
    subject: row.subject,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
    expiresAt: row.expiresAt,
  };
}

export class Credentials {
  #db: DrizzleSqliteDODatabase;
  #byHash = new Map<string, Credential>();
  #clusterId: string | undefined;

  /** With `clusterId`, every token issued from now on names its cluster (old tokens keep working). */
  constructor(db: DrizzleSqliteDODatabase, clusterId?: string) {
    this.#db = db;
    this.#clusterId = clusterId;
    for (const row of db.select().from(credentials).all()) this.#byHash.set(row.hash, credentialOf(row));
  }

  /** The credential a bearer token stands for, if it exists and has not expired. */
  async verify(token: string, now: number): Promise<Credential | undefined> {
    if (!token) return undefined;
    return this.byHash(await sha256Hex(token), now);
  }

  /**
   * The credential of a token already hashed (a tunnel keeps its agent's hash, so each sync on it is checked
   * again without hashing): undefined once revoked, replaced by a re-join or expired.
   */
  byHash(hash: string, now: number): Credential | undefined {
    const found = this.#byHash.get(hash);
    if (!found || (found.expiresAt !== null && found.expiresAt <= now)) return undefined;
    return found;
  }

  /** Stores (or replaces, by id) a credential for a token the caller generated. */
  async put(
    id: string,
    token: string,
    role: Role,
    now: number,
    options: { subject?: string; groups?: readonly string[]; expiresAt?: number } = {},
  ) {
    const hash = await sha256Hex(token);
    this.revoke(id);
    const row = {
      id,
      hash,
      role,
      subject: options.subject ?? null,
      groups: options.groups ? JSON.stringify(options.groups) : null,
      expiresAt: options.expiresAt ?? null,
      createdAt: now,
    };
    this.#db.insert(credentials).values(row).run();
    this.#byHash.set(hash, credentialOf(row));
  }

  /** Generates a new random token of `role` (a user's: with its username and groups) and stores its hash. */
  async issue(
    role: Role,
    now: number,
    ttlSeconds?: number,
    user?: { username: string; groups: readonly string[] },
  ): Promise<IssuedToken> {
    const id = newTokenId(role);
    const token = this.newSecret();
    const expiresAt = ttlSeconds ? now + ttlSeconds * 1000 : null;
    await this.put(id, token, role, now, {
      ...(expiresAt === null ? {} : { expiresAt }),
      ...(user ? { subject: user.username, groups: user.groups } : {}),
    });
    return { id, role, token, createdAt: now, expiresAt };
  }

  /** A fresh random token of this cluster, for callers that store it under an id of their own (node credentials). */
  newSecret(): string {
    return newClusterSecret(this.#clusterId);
  }

  list(): TokenInfo[] {
    return this.#db
      .select({
        id: credentials.id,
        role: credentials.role,
        createdAt: credentials.createdAt,
        expiresAt: credentials.expiresAt,
      })
      .from(credentials)
      .orderBy(credentials.createdAt, credentials.id)
      .all();
  }

  /** The shared-access users: each token's username and groups, oldest first. */
  users(): UserTokenInfo[] {
    return this.#db
      .select()
      .from(credentials)
      .where(eq(credentials.role, "user"))
      .orderBy(credentials.createdAt, credentials.id)
      .all()
      .map((row) => ({
        id: row.id,
        username: row.subject ?? "",
        groups: credentialOf(row).groups,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      }));
  }

  /** The role of a credential by id, if it exists. */
  roleOf(id: string): Role | undefined {
    return this.#db.select({ role: credentials.role }).from(credentials).where(eq(credentials.id, id)).get()?.role;
  }

  /** Removes a credential; true if it existed. Requests presenting it fail from now on. */
  revoke(id: string): boolean {
    const existing = this.#db.select().from(credentials).where(eq(credentials.id, id)).get();
    if (!existing) return false;
    this.#db.delete(credentials).where(eq(credentials.id, id)).run();
    this.#byHash.delete(existing.hash);
    return true;
  }
}
