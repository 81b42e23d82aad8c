// Account-token authentication for /v1: the bearer token's SHA-256 looked up in D1.
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { sha256Hex } from "../auth/encoding.ts";
import { isAccountTokenShape } from "../auth/tokens.ts";
import type { Db } from "../db/client.ts";
import { accounts, accountTokens } from "../db/schema.ts";
import { discardBody } from "./body.ts";
import { unauthenticated } from "./errors.ts";
import type { V1 } from "./types.ts";

export type Account = typeof accounts.$inferSelect;

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([^\s]+)$/i.exec(header?.trim() ?? "");
  return match?.[1];
}

export async function accountForToken(db: Db, token: string, now: number) {
  const hash = await sha256Hex(token);
  const row = await db
    .select({ account: accounts, tokenId: accountTokens.id })
    .from(accountTokens)
    .innerJoin(accounts, eq(accounts.id, accountTokens.accountId))
    .where(and(eq(accountTokens.hash, hash), or(isNull(accountTokens.expiresAt), gt(accountTokens.expiresAt, now))))
    .get();
  return row;
}

/** Sets `account` and `tokenId`, or answers 401 (having discarded the body). */
export const requireAccount: MiddlewareHandler<V1> = async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  const found = token && isAccountTokenShape(token) ? await accountForToken(c.var.db, token, Date.now()) : undefined;
  if (!found) {
    await discardBody(c.req.raw);
    throw unauthenticated();
  }
  c.set("account", found.account);
  c.set("tokenId", found.tokenId);
  await next();
};
