// Per-address limits on sign-ups and failed logins, counted over a sliding hour in D1.
// Addresses are stored as SHA-256 hashes.
import { and, count, eq, gt, lt, min } from "drizzle-orm";
import { sha256Hex } from "../auth/encoding.ts";
import type { Db } from "../db/client.ts";
import { attempts } from "../db/schema.ts";
import { tooManyRequests } from "../v1/errors.ts";

export type AttemptKind = "signup" | "login-failure";

export const WINDOW_MS = 60 * 60 * 1000;

/** How many of each an address may make per hour. */
export const ATTEMPT_LIMITS: Record<AttemptKind, number> = { signup: 5, "login-failure": 20 };

const WHAT: Record<AttemptKind, string> = { signup: "sign-ups", "login-failure": "failed logins" };

/** Cloudflare sets CF-Connecting-IP to the client's address; local runs may not, and share one bucket. */
export function clientAddress(request: Request): string {
  return request.headers.get("cf-connecting-ip")?.trim() || "unknown";
}

/** Throws 429 (with Retry-After) when the address used up its hourly allowance. */
export async function checkAttempts(db: Db, kind: AttemptKind, address: string, now: number): Promise<void> {
  const addressHash = await sha256Hex(address);
  const since = now - WINDOW_MS;
  const [row] = await db
    .select({ n: count(), oldest: min(attempts.at) })
    .from(attempts)
    .where(and(eq(attempts.kind, kind), eq(attempts.addressHash, addressHash), gt(attempts.at, since)));
  const limit = ATTEMPT_LIMITS[kind];
  if ((row?.n ?? 0) < limit) return;
  const retryAfter = Math.max(1, Math.ceil(((row?.oldest ?? now) + WINDOW_MS - now) / 1000));
  throw tooManyRequests(`too many ${WHAT[kind]} from this address: at most ${limit} per hour`, retryAfter);
}

export async function recordAttempt(db: Db, kind: AttemptKind, address: string, now: number): Promise<void> {
  const addressHash = await sha256Hex(address);
  await db.batch([
    db.delete(attempts).where(lt(attempts.at, now - WINDOW_MS)),
    db.insert(attempts).values({ kind, addressHash, at: now }),
  ]);
}
