// GET /debug/controllers in a real cluster object: the runner's counters move as a Deployment is
// reconciled on alarm ticks; only admins may read them.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newCluster } from "../testing/cluster-client.ts";
import { APPS, addNode, deployment, type Json, until } from "./workers-helpers.ts";

const PATH = "/debug/controllers";

describe("GET /debug/controllers", () => {
  it("counts ticks and reconciles per controller as a Deployment is reconciled", async () => {
    const c = await newCluster();
    await addNode(c, "n1");
    const before = (await c.request("GET", PATH)).body;
    expect(before.byController["deployment-controller"]).toMatchObject({ reconciles: 0, failures: 0 });
    expect((await c.request("POST", `${APPS}/deployments`, deployment("web", 2))).status).toBe(201);
    const after = await until(async () => {
      const res = await c.request("GET", PATH);
      expect(res.status).toBe(200);
      return res.body.byController["replicaset-controller"].reconciles > 0 ? res.body : undefined;
    }, "replica sets reconciled");
    expect(after.ticks).toBeGreaterThan(before.ticks);
    expect(after.reconciles).toBeGreaterThanOrEqual(2);
    expect(after.byController["deployment-controller"].reconciles).toBeGreaterThan(0);
    expect(after.maxReconcilesPerTick).toBeGreaterThan(0);
  });

  it("refuses a view credential with 403", async () => {
    const c = await newCluster();
    const stub = (env as Json).CLUSTER.get((env as Json).CLUSTER.idFromName(c.id));
    const { token } = await stub.createToken("view");
    const res = await c.raw("GET", PATH, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      reason: "Forbidden",
      message: `forbidden: User "flotilla:view:${(await stub.listTokens()).find((t: Json) => t.role === "view").id}" cannot get path "${PATH}"`,
    });
  });
});
