// Shared access through the real Worker and cluster object: /v1 users (named, with groups) authenticate as
// themselves, RBAC bindings to their name or groups decide, and the owner can list and revoke them.
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_CLUSTER_USERS } from "../../durable-objects/cluster/object.ts";
import { call, createCluster, kube, signup, type Tenant, type TenantCluster } from "../testing/tenants.ts";

let owner: Tenant;
let cluster: TenantCluster;

const users = (path = "") => `/v1/clusters/${cluster.id}/users${path}`;

async function createUser(body: unknown) {
  const res = await call("POST", users(), { body, token: owner.token });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; token: string; username: string; groups: string[]; kubeconfig: string };
}

const asAdmin = (method: string, path: string, body?: unknown) =>
  kube(cluster.id, cluster.adminToken, method, path, body);

function roleBinding(namespace: string, name: string, clusterRole: string, subject: { kind: string; name: string }) {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", ...subject }],
  };
}

beforeAll(async () => {
  owner = await signup();
  cluster = await createCluster(owner);
  const ns = await asAdmin("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "team" },
  });
  expect(ns.status).toBe(201);
});

describe("/v1 shared-access users", () => {
  it("issue a kubeconfig at the server's root for a named user whose groups kubectl auth whoami shows", async () => {
    const alice = await createUser({ username: "alice@example.com", groups: ["students", "students", "team:blue"] });
    expect(alice).toMatchObject({ username: "alice@example.com", groups: ["students", "team:blue"], expiresAt: null });
    expect(alice.token).toMatch(new RegExp(`^fltc_${cluster.id}_`));
    expect(alice.kubeconfig).toContain(`token: ${alice.token}`);
    expect(alice.kubeconfig).toContain("server: https://flotilla.test\n");
    const review = await call("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      token: alice.token,
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    });
    expect(review.status, review.text).toBe(201);
    expect(review.body.status.userInfo).toMatchObject({
      username: "alice@example.com",
      groups: ["students", "team:blue", "system:authenticated"],
    });
    const listed = await call("GET", users(), { token: owner.token });
    expect(listed.status).toBe(200);
    const row = listed.body.items.find((u: { id: string }) => u.id === alice.id);
    expect(row).toEqual({
      id: alice.id,
      username: "alice@example.com",
      groups: ["students", "team:blue"],
      createdAt: expect.any(Number),
      expiresAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(alice.token);
  });

  it("are granted nothing but discovery until bound; a binding to the user or a group decides, per namespace", async () => {
    const carol = await createUser({ username: "carol" });
    const dave = await createUser({ username: "dave", groups: ["editors"] });
    const carolList = (ns: string) => kube(cluster.id, carol.token, "GET", `/api/v1/namespaces/${ns}/pods`);
    expect((await kube(cluster.id, carol.token, "GET", "/api")).status).toBe(200);
    const before = await carolList("team");
    expect(before.status).toBe(403);
    expect(before.body.message).toBe(
      'pods is forbidden: User "carol" cannot list resource "pods" in API group "" in the namespace "team"',
    );

    const bind = await asAdmin(
      "POST",
      "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
      roleBinding("team", "carol-view", "view", { kind: "User", name: "carol" }),
    );
    expect(bind.status, bind.text).toBe(201);
    expect((await carolList("team")).status).toBe(200);
    const elsewhere = await carolList("default");
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
    const write = await kube(cluster.id, carol.token, "POST", "/api/v1/namespaces/team/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "by-carol" },
    });
    expect(write.status).toBe(403);

    const groupBind = await asAdmin(
      "POST",
      "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings",
      roleBinding("team", "editors-edit", "edit", { kind: "Group", name: "editors" }),
    );
    expect(groupBind.status, groupBind.text).toBe(201);
    const cm = (ns: string) =>
      kube(cluster.id, dave.token, "POST", `/api/v1/namespaces/${ns}/configmaps`, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "by-dave" },
      });
    expect((await cm("team")).status).toBe(201);
    const refused = await cm("default");
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      'configmaps is forbidden: User "dave" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
    expect((await asAdmin("GET", "/api/v1/namespaces/default/configmaps/by-dave")).status).toBe(404);
  });

  it("revoke a user's token at once; other credentials are not users to revoke", async () => {
    const erin = await createUser({ username: "erin", groups: ["editors"] });
    expect((await kube(cluster.id, erin.token, "GET", "/api")).status).toBe(200);
    const revoked = await call("DELETE", users(`/${erin.id}`), { token: owner.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ id: erin.id, revoked: true });
    expect((await kube(cluster.id, erin.token, "GET", "/api")).status).toBe(401);
    expect((await call("GET", "/api", { token: erin.token })).status).toBe(401);
    expect((await call("DELETE", users(`/${erin.id}`), { token: owner.token })).status).toBe(404);
    const listed = await call("GET", users(), { token: owner.token });
    expect(listed.body.items.map((u: { id: string }) => u.id)).not.toContain(erin.id);

    expect((await call("DELETE", users(`/${cluster.adminTokenId}`), { token: owner.token })).status).toBe(404);
    expect((await asAdmin("GET", "/api/v1/namespaces")).status).toBe(200);
  });

  it("refuse reserved or malformed names and unknown fields with 400, changing nothing", async () => {
    const before = (await call("GET", users(), { token: owner.token })).body.items.length;
    for (const [body, field] of [
      [{ username: "system:admin" }, "username"],
      [{ username: "system:serviceaccount:default:reader" }, "username"],
      [{ username: "flotilla:admin:x" }, "username"],
      [{ username: "" }, "username"],
      [{ username: "has space" }, "username"],
      [{ username: "x".repeat(129) }, "username"],
      [{ username: 7 }, "username"],
      [{}, "username"],
      [{ username: "frank", groups: "students" }, "groups"],
      [{ username: "frank", groups: ["system:masters"] }, "groups[0]"],
      [{ username: "frank", groups: ["ok", "flotilla:admins"] }, "groups[1]"],
      [{ username: "frank", groups: Array.from({ length: 21 }, (_, i) => `g${i}`) }, "groups"],
      [{ username: "frank", ttlSeconds: 0 }, "ttlSeconds"],
      [{ username: "frank", role: "admin" }, "role"],
    ] as const) {
      const res = await call("POST", users(), { body, token: owner.token });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await call("GET", users(), { token: owner.token })).body.items.length).toBe(before);
  });

  it("belong to the owner only: another tenant and a cluster token get 404 and 401", async () => {
    const stranger = await signup();
    for (const [method, path] of [
      ["GET", users()],
      ["POST", users()],
      ["DELETE", users("/user-aaaaaaaaaa")],
    ] as const) {
      const other = await call(method, path, {
        token: stranger.token,
        body: method === "POST" ? { username: "mallory" } : undefined,
      });
      expect(other.status, `${method} ${path}`).toBe(404);
      expect((await call(method, path, { token: cluster.adminToken })).status).toBe(401);
    }
    const names = (await call("GET", users(), { token: owner.token })).body.items.map(
      (u: { username: string }) => u.username,
    );
    expect(names).not.toContain("mallory");
  });

  it(`stop at ${MAX_CLUSTER_USERS} users per cluster with 403 quota_exceeded`, async () => {
    const mine = await createCluster(owner);
    const create = (i: number) =>
      call("POST", `/v1/clusters/${mine.id}/users`, { body: { username: `student-${i}` }, token: owner.token });
    for (let i = 0; i < MAX_CLUSTER_USERS; i++) expect((await create(i)).status).toBe(201);
    const over = await create(MAX_CLUSTER_USERS);
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe("quota_exceeded");
    const listed = await call("GET", `/v1/clusters/${mine.id}/users`, { token: owner.token });
    expect(listed.body.items).toHaveLength(MAX_CLUSTER_USERS);
  }, 120_000);
});
