// Shared access: an owner hands someone a kubeconfig for a named user in chosen groups, and grants it
// anything through RBAC (e.g. `kubectl create rolebinding --clusterrole=edit --user=alice -n team`).
// Each user is a token inside the cluster's object; the object keeps only its hash.
import type { Hono } from "hono";
import { MAX_CLUSTER_USERS } from "../../durable-objects/cluster/object.ts";
import { discardBody, readJsonObject } from "./body.ts";
import { kubeconfigServer, markGone, ownCluster, stub } from "./clusters.ts";
import { badRequest, notFound, quotaExceeded } from "./errors.ts";
import { optional, parseFields, type Rule, string } from "./fields.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import { TOKEN_ID, ttlSeconds } from "./tokens.ts";
import type { V1 } from "./types.ts";

const MAX_GROUPS = 20;
/** Names as people and directories write them: `alice`, `alice@example.com`, `team:blue`. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@:+-]*$/;
/**
 * `system:` names are Kubernetes' own (nodes, ServiceAccounts, `system:masters`…) and `flotilla:` the
 * cluster's own tokens: a shared-access user posing as one would inherit its bindings unseen.
 */
const RESERVED = /^(system|flotilla):/;

const name: Rule<string> = (value, field) => {
  const checked = string({
    max: 128,
    pattern: NAME,
    hint: "must start with a letter or digit and contain only letters, digits and . _ @ : + -",
  })(value, field);
  if (RESERVED.test(checked))
    throw badRequest(`"${field}" must not start with "system:" or "flotilla:" (names reserved for the cluster)`, field);
  return checked;
};

const groups: Rule<string[]> = (value, field) => {
  if (!Array.isArray(value)) throw badRequest(`"${field}" must be an array of group names`, field);
  if (value.length > MAX_GROUPS) throw badRequest(`"${field}" may name at most ${MAX_GROUPS} groups`, field);
  return [...new Set(value.map((g, i) => name(g, `${field}[${i}]`)))];
};

export function userRoutes(app: Hono<V1>): void {
  app.post("/clusters/:id/users", async (c) => {
    const body = parseFields(await readJsonObject(c.req.raw), {
      username: name,
      groups: optional(groups),
      ttlSeconds,
    });
    const row = await ownCluster(c, c.req.param("id"));
    const issued = await stub(c, row.id).createUser(body.username, body.groups ?? [], body.ttlSeconds);
    if (!issued) return markGone(c, row);
    if (issued === "limit")
      throw quotaExceeded(`cluster "${row.id}" has ${MAX_CLUSTER_USERS} users already; revoke one first`);
    const kubeconfig = renderKubeconfig({
      server: kubeconfigServer(c),
      name: row.name,
      token: issued.token,
      role: issued.username,
      caData: c.env.KUBECONFIG_CA_DATA,
    });
    return c.json({ ...issued, kubeconfig }, 201);
  });

  app.get("/clusters/:id/users", async (c) => {
    const row = await ownCluster(c, c.req.param("id"));
    const items = await stub(c, row.id).listUsers();
    if (!items) return markGone(c, row);
    return c.json({ items });
  });

  app.delete("/clusters/:id/users/:userId", async (c) => {
    await discardBody(c.req.raw);
    const row = await ownCluster(c, c.req.param("id"));
    const userId = c.req.param("userId");
    if (!TOKEN_ID.test(userId) || !(await stub(c, row.id).revokeUser(userId)))
      throw notFound(`user "${userId}" not found in cluster "${row.id}"`);
    return c.json({ id: userId, revoked: true });
  });
}
