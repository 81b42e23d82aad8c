// Sign-up and login through the Worker, with D1: rules, conflicts, per-address limits.
import { describe, expect, it } from "vitest";
import { call, randomAddress, randomHex, signup } from "../testing/tenants.ts";

const email = () => `u-${randomHex()}@example.com`;
const PASSWORD = "correct horse battery";

describe("POST /v1/signup", () => {
  it("creates an account on the default plan and returns a token that works", async () => {
    const res = await call("POST", "/v1/signup", {
      body: { email: "  Mixed.Case@Example.COM ", password: PASSWORD },
      headers: { "cf-connecting-ip": randomAddress() },
    });
    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({ email: "mixed.case@example.com", plan: "local" });
    expect(res.body.token).toMatch(/^flta_[A-Za-z0-9_-]{43}$/);
    const me = await call("GET", "/v1/account", { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.account.id).toBe(res.body.account.id);
    expect(me.body.plan.id).toBe("local");
  });

  it.each([
    [{ email: "not-an-email", password: PASSWORD }, "email", /must be an email address/],
    [{ email: "a@b", password: PASSWORD }, "email", /must be an email address/],
    [{ email: email(), password: "short" }, "password", /at least 10 characters/],
    [{ email: email(), password: "x".repeat(257) }, "password", /at most 256 characters/],
    [{ email: "same@example.com", password: "same@example.com" }, "password", /must not be the email/],
  ])("refuses %j with 400 naming the field", async (body, field, message) => {
    const res = await call("POST", "/v1/signup", { body, headers: { "cf-connecting-ip": randomAddress() } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_request", field });
    expect(res.body.error.message).toMatch(message);
  });

  it("answers 409 for an email that already has an account, whatever its case", async () => {
    const address = randomAddress();
    const e = email();
    const first = await call("POST", "/v1/signup", {
      body: { email: e, password: PASSWORD },
      headers: { "cf-connecting-ip": address },
    });
    expect(first.status).toBe(201);
    const again = await call("POST", "/v1/signup", {
      body: { email: e.toUpperCase(), password: PASSWORD },
      headers: { "cf-connecting-ip": address },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", field: "email" });
  });

  it("allows 5 sign-ups per address per hour, then 429 with Retry-After; other addresses are unaffected", async () => {
    const address = randomAddress();
    for (let i = 0; i < 5; i++) {
      const res = await call("POST", "/v1/signup", {
        body: { email: email(), password: PASSWORD },
        headers: { "cf-connecting-ip": address },
      });
      expect(res.status).toBe(201);
    }
    const sixth = await call("POST", "/v1/signup", {
      body: { email: email(), password: PASSWORD },
      headers: { "cf-connecting-ip": address },
    });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe("too_many_requests");
    expect(sixth.body.error.message).toMatch(/at most 5 per hour/);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(3000);
    const elsewhere = await call("POST", "/v1/signup", {
      body: { email: email(), password: PASSWORD },
      headers: { "cf-connecting-ip": randomAddress() },
    });
    expect(elsewhere.status).toBe(201);
  });
});

describe("POST /v1/login", () => {
  it("returns a new token for the right password, 401 for a wrong one or an unknown email", async () => {
    const t = await signup();
    const ok = await call("POST", "/v1/login", { body: { email: t.email, password: t.password } });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toMatch(/^flta_/);
    expect(ok.body.token).not.toBe(t.token);
    expect((await call("GET", "/v1/account", { token: ok.body.token })).status).toBe(200);
    for (const body of [
      { email: t.email, password: `${t.password}x` },
      { email: email(), password: t.password },
    ]) {
      const bad = await call("POST", "/v1/login", { body, headers: { "cf-connecting-ip": randomAddress() } });
      expect(bad.status).toBe(401);
      expect(bad.body.error).toEqual({ code: "unauthenticated", message: "invalid email or password" });
      expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("stops an address after 20 failed logins in an hour", async () => {
    const t = await signup();
    const address = randomAddress();
    const attempt = (password: string) =>
      call("POST", "/v1/login", { body: { email: t.email, password }, headers: { "cf-connecting-ip": address } });
    for (let i = 0; i < 20; i++) expect((await attempt(`wrong-password-${i}`)).status).toBe(401);
    const blocked = await attempt(t.password);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
  }, 60_000);

  it("logout revokes the token it was called with, at once", async () => {
    const t = await signup();
    expect((await call("POST", "/v1/logout", { token: t.token })).status).toBe(200);
    expect((await call("GET", "/v1/account", { token: t.token })).status).toBe(401);
  });
});
