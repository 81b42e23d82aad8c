// A cluster's tokens: issued and revoked inside the cluster's object (which keeps only hashes).
import type { Hono } from "hono";
import { discardBody, readJsonObject } from "./body.ts";
import { kubeconfigServer, markGone, ownCluster, stub } from "./clusters.ts";
import { notFound } from "./errors.ts";
import { integer, oneOf, optional, parseFields } from "./fields.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import type { V1 } from "./types.ts";

const YEAR_SECONDS = 365 * 24 * 3600;
export const TOKEN_ID = /^[a-z0-9-]{1,64}$/;
export const ttlSeconds = optional(integer({ min: 1, max: YEAR_SECONDS }));

export function tokenRoutes(app: Hono<V1>): void {
  app.post("/clusters/:id/tokens", async (c) => {
    const body = parseFields(await readJsonObject(c.req.raw), {
      role: oneOf(["admin", "view", "join"] as const),
      ttlSeconds,
    });
    const row = await ownCluster(c, c.req.param("id"));
    const issued = await stub(c, row.id).createToken(body.role, body.ttlSeconds);
    if (!issued) return markGone(c, row);
    return c.json(issued, 201);
  });

  app.get("/clusters/:id/tokens", async (c) => {
    const row = await ownCluster(c, c.req.param("id"));
    const items = await stub(c, row.id).listTokens();
    if (!items) return markGone(c, row);
    return c.json({ items });
  });

  app.delete("/clusters/:id/tokens/:tokenId", async (c) => {
    await discardBody(c.req.raw);
    const row = await ownCluster(c, c.req.param("id"));
    const tokenId = c.req.param("tokenId");
    if (!TOKEN_ID.test(tokenId) || !(await stub(c, row.id).revokeToken(tokenId)))
      throw notFound(`token "${tokenId}" not found in cluster "${row.id}"`);
    return c.json({ id: tokenId, revoked: true });
  });

  /** A kubeconfig with a fresh token: what `flotilla kubeconfig` fetches. */
  app.post("/clusters/:id/kubeconfig", async (c) => {
    const body = parseFields(await readJsonObject(c.req.raw, { optional: true }), {
      role: optional(oneOf(["admin", "view"] as const)),
      ttlSeconds,
    });
    const row = await ownCluster(c, c.req.param("id"));
    const role = body.role ?? "admin";
    const issued = await stub(c, row.id).createToken(role, body.ttlSeconds);
    if (!issued) return markGone(c, row);
    const kubeconfig = renderKubeconfig({
      server: kubeconfigServer(c),
      name: row.name,
      token: issued.token,
      role,
      caData: c.env.KUBECONFIG_CA_DATA,
    });
    return c.json({ tokenId: issued.id, role, expiresAt: issued.expiresAt, kubeconfig }, 201);
  });
}
