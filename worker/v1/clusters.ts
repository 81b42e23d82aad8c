// Clusters of an account: create (provisions the object), list, show, delete (wipes it).
import { and, count, eq, isNull } from "drizzle-orm";
import type { Context, Hono } from "hono";
import { type ClusterSettings, type ClusterStatus, parseSettings } from "../../durable-objects/cluster/object.ts";
import { CLUSTER_ID_PATTERN, newClusterId } from "../auth/tokens.ts";
import { clusters } from "../db/schema.ts";
import { clusterPlan, loadPlan, planView } from "../limits/plans.ts";
import { requireAccount } from "./auth.ts";
import { discardBody, readJsonObject } from "./body.ts";
import { ApiError, badRequest, conflict, notFound, quotaExceeded, unavailable } from "./errors.ts";
import { optional, parseFields, type Rule, string } from "./fields.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import type { V1 } from "./types.ts";
import { isUniqueViolation } from "../db/errors.ts";

export type ClusterRow = typeof clusters.$inferSelect;

/** Cluster names: DNS-1123 labels, short enough to sit inside kubeconfig context names. */
const NAME = string({
  max: 40,
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  hint: "must be lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. my-cluster)",
});

/** Per-cluster settings: a malformed value is a 400, a well-formed one out of bounds a 422. */
const SETTINGS: Rule<ClusterSettings> = (value) => {
  const { settings, problems } = parseSettings(value);
  if (settings) return settings;
  const [first] = problems;
  if (first.kind === "type") throw badRequest(first.message, first.field);
  throw new ApiError(422, "invalid_settings", first.message, { field: first.field });
};

export function stub(c: Context<V1>, id: string) {
  return c.env.CLUSTER.get(c.env.CLUSTER.idFromName(id));
}

function publicBase(c: Context<V1>): string {
  return (c.env.PUBLIC_URL || new URL(c.req.url).origin).replace(/\/+$/, "");
}

/** The cluster's own URL (`<base>/clusters/<id>`): what agents join, and what works with any of its tokens. */
export function serverUrl(c: Context<V1>, id: string): string {
  return `${publicBase(c)}/clusters/${id}`;
}

/**
 * A kubeconfig's `server`: the server's root, with no path, so `kubectl get --raw /version` and `kubectl proxy`
 * work; the token names the cluster (tokens issued before tokens did work only under serverUrl).
 */
export function kubeconfigServer(c: Context<V1>): string {
  return publicBase(c);
}

function clusterView(c: Context<V1>, row: ClusterRow) {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    server: serverUrl(c, row.id),
    createdAt: row.createdAt,
    lastActiveAt: row.lastActiveAt,
    expiresAt: row.expiresAt,
  };
}

/** The caller's live cluster `id`, or 404 — the same answer for another tenant's cluster and for none. */
export async function ownCluster(c: Context<V1>, id: string): Promise<ClusterRow> {
  if (!CLUSTER_ID_PATTERN.test(id)) throw notFound(`cluster "${id}" not found`);
  const row = await c.var.db
    .select()
    .from(clusters)
    .where(and(eq(clusters.id, id), eq(clusters.accountId, c.var.account.id), isNull(clusters.deletedAt)))
    .get();
  if (!row) throw notFound(`cluster "${id}" not found`);
  return row;
}

/** The object is gone (it expired on its own): the index says so from now on, and the caller gets 404. */
export async function markGone(c: Context<V1>, row: ClusterRow, now = Date.now()): Promise<never> {
  const reason = row.expiresAt !== null && row.expiresAt <= now ? "expired" : "deleted";
  await c.var.db
    .update(clusters)
    .set({ deletedAt: now, deletedReason: reason })
    .where(and(eq(clusters.id, row.id), isNull(clusters.deletedAt)));
  throw notFound(`cluster "${row.id}" not found (${reason})`);
}

/** The object's own view (expiry moves with use); the index row is refreshed from it. */
export async function liveStatus(c: Context<V1>, row: ClusterRow): Promise<ClusterStatus> {
  const status = await stub(c, row.id).status();
  if (!status) return markGone(c, row, Date.now());
  if (status.lastActiveAt !== row.lastActiveAt || status.expiresAt !== row.expiresAt)
    await c.var.db
      .update(clusters)
      .set({ lastActiveAt: status.lastActiveAt, expiresAt: status.expiresAt })
      .where(eq(clusters.id, row.id));
  return status;
}

export function clusterRoutes(app: Hono<V1>): void {
  app.use("/clusters", requireAccount);
  app.use("/clusters/*", requireAccount);

  app.post("/clusters", async (c) => {
    const fields = parseFields(await readJsonObject(c.req.raw), { name: NAME, settings: optional(SETTINGS) });
    const { name } = fields;
    const settings = fields.settings ?? parseSettings(undefined).settings!;
    const { db, account } = c.var;
    const plan = await loadPlan(db, account.plan);
    if (!plan) throw unavailable(`the account's plan "${account.plan}" no longer exists`);
    const [live] = await db
      .select({ n: count() })
      .from(clusters)
      .where(and(eq(clusters.accountId, account.id), isNull(clusters.deletedAt)));
    if ((live?.n ?? 0) >= plan.maxClusters)
      throw quotaExceeded(
        `the "${plan.id}" plan allows ${plan.maxClusters} clusters per account; delete one before creating another`,
      );
    const now = Date.now();
    const row: ClusterRow = {
      id: newClusterId(),
      accountId: account.id,
      name,
      plan: plan.id,
      createdAt: now,
      lastActiveAt: now,
      expiresAt: plan.idleTtlSeconds > 0 ? now + plan.idleTtlSeconds * 1000 : null,
      deletedAt: null,
      deletedReason: null,
    };
    try {
      await db.insert(clusters).values(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`you already have a cluster named "${name}"`, "name");
      throw err;
    }
    let provisioned: Awaited<ReturnType<ReturnType<typeof stub>["provision"]>>;
    try {
      provisioned = await stub(c, row.id).provision({
        clusterId: row.id,
        plan: clusterPlan(plan),
        settings,
        issuer: serverUrl(c, row.id),
      });
    } catch (err) {
      console.error(`cluster ${row.id}: provisioning failed`, err);
      await db.delete(clusters).where(eq(clusters.id, row.id));
      throw unavailable("the cluster could not be created; try again");
    }
    if (provisioned.expiresAt !== row.expiresAt)
      await db.update(clusters).set({ expiresAt: provisioned.expiresAt }).where(eq(clusters.id, row.id));
    const kubeconfig = renderKubeconfig({
      server: kubeconfigServer(c),
      name,
      token: provisioned.admin.token,
      role: "admin",
      caData: c.env.KUBECONFIG_CA_DATA,
    });
    return c.json(
      {
        ...clusterView(c, { ...row, expiresAt: provisioned.expiresAt }),
        settings,
        kubeconfig,
        adminToken: provisioned.admin.token,
        adminTokenId: provisioned.admin.id,
        joinToken: provisioned.join.token,
        joinTokenId: provisioned.join.id,
      },
      201,
    );
  });

  app.get("/clusters", async (c) => {
    const rows = await c.var.db
      .select()
      .from(clusters)
      .where(and(eq(clusters.accountId, c.var.account.id), isNull(clusters.deletedAt)))
      .orderBy(clusters.createdAt);
    return c.json({ items: rows.map((row) => clusterView(c, row)) });
  });

  app.get("/clusters/:id", async (c) => {
    const row = await ownCluster(c, c.req.param("id"));
    const status = await liveStatus(c, row);
    const plan = await loadPlan(c.var.db, row.plan);
    return c.json({
      ...clusterView(c, { ...row, lastActiveAt: status.lastActiveAt, expiresAt: status.expiresAt }),
      usage: status.usage,
      settings: status.settings,
      limits: plan ? planView(plan).limits : null,
    });
  });

  app.delete("/clusters/:id", async (c) => {
    await discardBody(c.req.raw);
    const row = await ownCluster(c, c.req.param("id"));
    await stub(c, row.id).destroy();
    const now = Date.now();
    await c.var.db.update(clusters).set({ deletedAt: now, deletedReason: "deleted" }).where(eq(clusters.id, row.id));
    return c.json({ id: row.id, name: row.name, deletedAt: now });
  });
}
