// A cluster's life: deleting wipes its object (a new cluster never sees old data), the idle
// expiry is shown, extended by use and carried out by the object's own alarm; secrets are
// stored nowhere in the clear.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ClusterObject } from "../../durable-objects/cluster/object.ts";
import { call, configMap, createCluster, db, kube, signup, usePlan } from "../testing/tenants.ts";

const NS = "/api/v1/namespaces/default";
const clusterNs = () => (env as unknown as { CLUSTER: DurableObjectNamespace<ClusterObject> }).CLUSTER;
const stubOf = (id: string) => clusterNs().get(clusterNs().idFromName(id));

/** Every row of every table of the cluster's object, as text; and the table names. */
async function objectStorage(id: string): Promise<{ tables: string[]; dump: string }> {
  return runInDurableObject(stubOf(id), (_instance, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
      )
      .toArray()
      .map((r) => r.name);
    const dump = tables.map((t) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${t}"`).toArray())).join("\n");
    return { tables, dump };
  });
}

async function d1Dump(): Promise<string> {
  const { results } = await db().prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
  const out: string[] = [];
  for (const { name } of results) {
    if (name.startsWith("sqlite_") || name.startsWith("_cf")) continue;
    out.push(JSON.stringify((await db().prepare(`SELECT * FROM "${name}"`).all()).results));
  }
  return out.join("\n");
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("deleting a cluster", () => {
  it("wipes its object's storage: tokens die, data is gone, a recreated cluster starts empty", async () => {
    const tenant = await signup();
    const old = await createCluster(tenant, "reused");
    expect(
      (await kube(old.id, old.adminToken, "POST", `${NS}/configmaps`, configMap("secret-plans", { a: "1" }))).status,
    ).toBe(201);
    expect((await objectStorage(old.id)).dump).toContain("secret-plans");

    const del = await call("DELETE", `/v1/clusters/${old.id}`, { token: tenant.token });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: old.id, name: "reused" });

    expect((await kube(old.id, old.adminToken, "GET", `${NS}/configmaps`)).status).toBe(401);
    expect((await call("GET", `/v1/clusters/${old.id}`, { token: tenant.token })).status).toBe(404);
    expect((await call("GET", "/v1/clusters", { token: tenant.token })).body.items).toEqual([]);
    expect(await objectStorage(old.id)).toEqual({ tables: [], dump: "" });
    expect(await stubOf(old.id).stats()).toEqual({ objects: 0, revision: 0 });
    const row = await db().prepare("SELECT deleted_at, deleted_reason FROM clusters WHERE id = ?").bind(old.id).first();
    expect(row).toMatchObject({ deleted_reason: "deleted" });

    const fresh = await createCluster(tenant, "reused");
    expect(fresh.id).not.toBe(old.id);
    expect((await kube(fresh.id, fresh.adminToken, "GET", `${NS}/configmaps/secret-plans`)).status).toBe(404);
    expect((await kube(fresh.id, old.adminToken, "GET", `${NS}/configmaps`)).status).toBe(401);
    // Requests to the deleted id never bring storage back.
    await kube(old.id, old.adminToken, "POST", `${NS}/configmaps`, configMap("x"));
    expect((await objectStorage(old.id)).tables).toEqual([]);
  });
});

describe("idle expiry", () => {
  it("is shown, extended by use, and carried out by the object's alarm (storage wiped, index marked)", async () => {
    const tenant = await signup();
    await usePlan(tenant, { idleTtlSeconds: 2 });
    const c = await createCluster(tenant);
    const created = c.created.expiresAt as number;
    expect(created - c.created.createdAt).toBeGreaterThanOrEqual(2000);
    expect(created - c.created.createdAt).toBeLessThan(3000);
    const alarm = await runInDurableObject(stubOf(c.id), (_i, state) => state.storage.getAlarm());
    expect(alarm).toBe(created);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await kube(c.id, c.adminToken, "GET", "/version")).status).toBe(200);
    const shown = await call("GET", `/v1/clusters/${c.id}`, { token: tenant.token });
    expect(shown.body.expiresAt).toBeGreaterThan(created + 500);
    expect(shown.body.lastActiveAt).toBeGreaterThan(c.created.createdAt);

    // The alarm fires at the first deadline (by itself, or run here if it has not yet), sees the
    // use, and re-arms for the new deadline instead of deleting.
    const deadline = shown.body.expiresAt as number;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, created - Date.now() + 50)));
    await runDurableObjectAlarm(stubOf(c.id));
    expect(await runInDurableObject(stubOf(c.id), (_i, state) => state.storage.getAlarm())).toBe(deadline);

    // Idle past that deadline: the alarm deletes it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now() + 50)));
    await runDurableObjectAlarm(stubOf(c.id));
    expect((await objectStorage(c.id)).tables).toEqual([]);
    expect((await kube(c.id, c.adminToken, "GET", "/version")).status).toBe(401);
    const row = await db().prepare("SELECT deleted_reason FROM clusters WHERE id = ?").bind(c.id).first();
    expect(row).toEqual({ deleted_reason: "expired" });
    expect((await call("GET", `/v1/clusters/${c.id}`, { token: tenant.token })).status).toBe(404);
  }, 20_000);

  it("arms no alarm on a plan that keeps clusters forever", async () => {
    const tenant = await signup();
    await usePlan(tenant, { idleTtlSeconds: 0 });
    const c = await createCluster(tenant);
    expect(c.created.expiresAt).toBeNull();
    // A new cluster's controllers have work at once (default ServiceAccounts, aggregated roles): the alarm armed
    // for it must be gone once that tick ran, with no idle deadline left behind.
    const alarm = () => runInDurableObject(stubOf(c.id), (_i, state) => state.storage.getAlarm());
    for (let i = 0; i < 50 && (await alarm()) !== null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await alarm()).toBeNull();
  });
});

describe("secrets at rest", () => {
  it("no password or token appears in D1 or in the object's tables; only their hashes do", async () => {
    const tenant = await signup();
    const c = await createCluster(tenant);
    const login = await call("POST", "/v1/login", { body: { email: tenant.email, password: tenant.password } });
    const view = await call("POST", `/v1/clusters/${c.id}/tokens`, {
      token: tenant.token,
      body: { role: "view", ttlSeconds: 600 },
    });
    const kubeconfig = await call("POST", `/v1/clusters/${c.id}/kubeconfig`, { token: tenant.token, body: {} });
    const kubeconfigToken = /token: (\S+)/.exec(kubeconfig.body.kubeconfig)?.[1] ?? "";
    const accountSecrets = [tenant.password, tenant.token, login.body.token];
    const clusterSecrets = [c.adminToken, c.joinToken, view.body.token, kubeconfigToken];
    for (const s of [...accountSecrets, ...clusterSecrets]) expect(s.length).toBeGreaterThanOrEqual(10);

    const d1 = await d1Dump();
    const object = (await objectStorage(c.id)).dump;
    for (const secret of [...accountSecrets, ...clusterSecrets]) {
      // Also without the prefix, in case only the random part were stored.
      for (const form of [secret, secret.replace(/^flt[ac]_/, "")]) {
        expect(d1).not.toContain(form);
        expect(object).not.toContain(form);
      }
    }
    // What is stored instead: hashes (so the test above looked at the right places).
    expect(d1).toContain(await sha256(tenant.token));
    expect(d1).toContain(tenant.email);
    expect(d1).toMatch(/"password_hash":"[0-9a-f]{64}"/);
    for (const t of clusterSecrets) expect(object).toContain(await sha256(t));
  });
});
