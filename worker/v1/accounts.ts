// Sign-up, login, logout and the account itself.
import { and, count, eq, isNull } from "drizzle-orm";
import type { Hono } from "hono";
import { sha256Hex } from "../auth/encoding.ts";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../auth/passwords.ts";
import { newAccountToken, newId } from "../auth/tokens.ts";
import type { Db } from "../db/client.ts";
import { accounts, accountTokens, clusters } from "../db/schema.ts";
import { checkAttempts, clientAddress, recordAttempt } from "../limits/attempts.ts";
import { loadPlan, planView } from "../limits/plans.ts";
import { type Account, requireAccount } from "./auth.ts";
import { readJsonObject } from "./body.ts";
import { ApiError, conflict, unauthenticated, unavailable } from "./errors.ts";
import { parseFields, string } from "./fields.ts";
import type { V1 } from "./types.ts";
import { isUniqueViolation } from "../db/errors.ts";

/** Deliberately plain: one @, no spaces, a dot in the domain. Real verification would send mail. */
// No spaces and no control characters (NUL and the like would reach the database, logs and headers).
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

const credentialsSpec = {
  email: string({ min: 3, max: 254, trim: true, pattern: EMAIL, hint: "must be an email address (name@example.com)" }),
  password: string({ min: 10, max: 256 }),
};

export function accountView(account: Account) {
  return { id: account.id, email: account.email, plan: account.plan, createdAt: account.createdAt };
}

async function issueToken(db: Db, accountId: string, now: number): Promise<string> {
  const token = newAccountToken();
  await db.insert(accountTokens).values({ id: newId("tok"), accountId, hash: await sha256Hex(token), createdAt: now });
  return token;
}

export function accountRoutes(app: Hono<V1>): void {
  app.post("/signup", async (c) => {
    const fields = parseFields(await readJsonObject(c.req.raw), credentialsSpec);
    const email = fields.email.toLowerCase();
    if (fields.password.toLowerCase() === email)
      throw new ApiError(400, "invalid_request", '"password" must not be the email address', { field: "password" });
    const db = c.var.db;
    const now = Date.now();
    const address = clientAddress(c.req.raw);
    await checkAttempts(db, "signup", address, now);
    await recordAttempt(db, "signup", address, now);
    if (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email)).get())
      throw conflict("an account with this email already exists; log in instead", "email");
    const plan = await loadPlan(db, c.env.DEFAULT_PLAN);
    if (!plan) throw unavailable(`sign-up is not available: the default plan "${c.env.DEFAULT_PLAN}" does not exist`);
    const password = await hashPassword(fields.password);
    const account: Account = {
      id: newId("acc"),
      email,
      passwordHash: password.hash,
      passwordSalt: password.salt,
      passwordIterations: password.iterations,
      plan: plan.id,
      createdAt: now,
    };
    try {
      await db.insert(accounts).values(account);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict("an account with this email already exists; log in instead", "email");
      throw err;
    }
    const token = await issueToken(db, account.id, now);
    return c.json({ account: accountView(account), token }, 201);
  });

  app.post("/login", async (c) => {
    const fields = parseFields(await readJsonObject(c.req.raw), credentialsSpec);
    const email = fields.email.toLowerCase();
    const db = c.var.db;
    const now = Date.now();
    const address = clientAddress(c.req.raw);
    await checkAttempts(db, "login-failure", address, now);
    const account = await db.select().from(accounts).where(eq(accounts.email, email)).get();
    const stored = account
      ? { hash: account.passwordHash, salt: account.passwordSalt, iterations: account.passwordIterations }
      : DUMMY_HASH;
    const ok = (await verifyPassword(fields.password, stored)) && account !== undefined;
    if (!ok || !account) {
      await recordAttempt(db, "login-failure", address, now);
      throw unauthenticated("invalid email or password");
    }
    return c.json({ account: accountView(account), token: await issueToken(db, account.id, now) });
  });

  app.post("/logout", requireAccount, async (c) => {
    await readJsonObject(c.req.raw, { optional: true });
    await c.var.db.delete(accountTokens).where(eq(accountTokens.id, c.var.tokenId));
    return c.json({ loggedOut: true });
  });

  app.get("/account", requireAccount, async (c) => {
    const account = c.var.account;
    const plan = await loadPlan(c.var.db, account.plan);
    const [live] = await c.var.db
      .select({ n: count() })
      .from(clusters)
      .where(and(eq(clusters.accountId, account.id), isNull(clusters.deletedAt)));
    return c.json({
      account: accountView(account),
      plan: plan ? planView(plan) : null,
      usage: { clusters: live?.n ?? 0 },
    });
  });
}
