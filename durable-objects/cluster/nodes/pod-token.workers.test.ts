// POST /agent/pod-token behind the real Worker: a node's agent gets the bound token of a pod on that
// node (for a projection its volumes have), nothing for another node's pod, a recreated pod or another
// audience; the token is the pod's ServiceAccount and stops working when the pod goes.
import { describe, expect, it } from "vitest";
import type { PodTokenRequest } from "../../../kube/agent-protocol.ts";
import { type Json, NS } from "../controllers/workers-helpers.ts";
import { type ClusterClient, newCluster, pod } from "../testing/cluster-client.ts";
import { claims, whoami } from "../testing/tokens.ts";
import { joinRequest } from "./testing.ts";

async function post(c: ClusterClient, path: string, token: string, body: unknown) {
  const res = await c.raw("POST", path, {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function join(c: ClusterClient, node: string): Promise<string> {
  const joined = await post(c, "/agent/join", c.joinToken, joinRequest(node));
  expect(joined.status).toBe(201);
  return joined.body.nodeCredential;
}

describe("/agent/pod-token", () => {
  it("gives a node the bound token of its own pod, and nothing beyond it", async () => {
    const c = await newCluster();
    const n1 = await join(c, "n1");
    const n2 = await join(c, "n2");
    const created = await c.request(
      "POST",
      `${NS}/pods`,
      pod("web", {}, { spec: { nodeName: "n1", containers: [{ name: "c", image: "busybox" }] } }),
    );
    expect(created.status, created.text).toBe(201);
    const uid: string = created.body.metadata.uid;
    const ask: PodTokenRequest = { namespace: "default", podName: "web", podUID: uid, expirationSeconds: 3607 };

    const granted = await post(c, "/agent/pod-token", n1, ask);
    expect(granted.status).toBe(201);
    const { token } = granted.body;
    expect(Date.parse(granted.body.expirationTimestamp) - Date.now()).toBeGreaterThan(3500 * 1000);
    expect(claims(token)).toMatchObject({
      sub: "system:serviceaccount:default:default",
      "kubernetes.io": { namespace: "default", pod: { name: "web", uid }, node: { name: "n1" } },
    });
    expect(await whoami(c, token)).toBe("system:serviceaccount:default:default");

    const refused = async (token: string, body: unknown) => await post(c, "/agent/pod-token", token, body);
    const other = await refused(n2, ask);
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(
      'serviceaccounts "default" is forbidden: node requested token bound to a pod scheduled on a different node',
    );
    const recreated = await refused(n1, { ...ask, podUID: "not-it" });
    expect(recreated.status).toBe(403);
    expect(recreated.body.message).toContain("the UID in the bound object reference (not-it) does not match");
    expect((await refused(n1, { ...ask, audience: "vault" })).status).toBe(403);
    expect((await refused(n1, { ...ask, expirationSeconds: 600 })).status).toBe(403);
    expect((await refused(n1, { ...ask, podName: "ghost" })).status).toBe(404);
    expect((await refused(c.token, ask)).status).toBe(401);
    expect((await refused(c.joinToken, ask)).status).toBe(401);
    expect((await refused(n1, { namespace: "default" })).status).toBe(400);
    expect((await c.raw("GET", "/agent/pod-token", { headers: { authorization: `Bearer ${n1}` } })).status).toBe(405);

    // The pod gone, its token no longer authenticates.
    expect((await c.request("DELETE", `${NS}/pods/web?gracePeriodSeconds=0`)).status).toBe(200);
    expect(await whoami(c, token)).toBeUndefined();
  });
});
