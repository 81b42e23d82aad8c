// Tenant isolation: a matrix of credentials × Kubernetes verbs and /v1 routes. Only the
// cluster's own admin token writes; its view token only reads; nothing else gets in.
import { beforeAll, describe, expect, it } from "vitest";
import { call, configMap, createCluster, kube, signup, type Tenant, type TenantCluster } from "../testing/tenants.ts";

let a: Tenant;
let b: Tenant;
let clusterA: TenantCluster;
let clusterB: TenantCluster;
const creds: Record<string, string | undefined> = {};

const NS = "/api/v1/namespaces/default";
const MERGE = { "content-type": "application/merge-patch+json" };

interface Verb {
  verb: string;
  write: boolean;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const verbs: Verb[] = [
  { verb: "version", write: false, method: "GET", path: "/version" },
  { verb: "discovery", write: false, method: "GET", path: "/api" },
  { verb: "discovery (groups)", write: false, method: "GET", path: "/apis" },
  { verb: "openapi", write: false, method: "GET", path: "/openapi/v3" },
  { verb: "get", write: false, method: "GET", path: `${NS}/configmaps/target` },
  { verb: "list", write: false, method: "GET", path: `${NS}/configmaps` },
  { verb: "list (cluster scope)", write: false, method: "GET", path: "/api/v1/namespaces" },
  { verb: "watch", write: false, method: "GET", path: `${NS}/configmaps?watch=true&timeoutSeconds=1` },
  { verb: "create", write: true, method: "POST", path: `${NS}/configmaps`, body: configMap("intruder") },
  {
    verb: "update",
    write: true,
    method: "PUT",
    path: `${NS}/configmaps/target`,
    body: configMap("target", { owner: "x" }),
  },
  {
    verb: "patch",
    write: true,
    method: "PATCH",
    path: `${NS}/configmaps/target`,
    body: { data: { owner: "x" } },
    headers: MERGE,
  },
  { verb: "delete", write: true, method: "DELETE", path: `${NS}/configmaps/target` },
  { verb: "deletecollection", write: true, method: "DELETE", path: `${NS}/configmaps` },
  {
    verb: "create namespace",
    write: true,
    method: "POST",
    path: "/api/v1/namespaces",
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } },
  },
];

/** Tenant A's cluster under its own URL, or (prefix "") at the server's root, where the token names the cluster. */
function request(
  token: string | undefined,
  v: Verb,
  raw?: Record<string, string>,
  prefix = `/clusters/${clusterA.id}`,
) {
  const headers = { ...v.headers, ...raw };
  return call(v.method, `${prefix}${v.path}`, {
    token,
    body: v.body === undefined ? undefined : v.body,
    headers,
  });
}

beforeAll(async () => {
  [a, b] = await Promise.all([signup(), signup()]);
  [clusterA, clusterB] = await Promise.all([createCluster(a), createCluster(b)]);
  const target = await kube(
    clusterA.id,
    clusterA.adminToken,
    "POST",
    `${NS}/configmaps`,
    configMap("target", { owner: "a" }),
  );
  expect(target.status).toBe(201);
  const issue = async (role: string, ttlSeconds?: number) => {
    const res = await call("POST", `/v1/clusters/${clusterA.id}/tokens`, {
      token: a.token,
      body: { role, ttlSeconds },
    });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; token: string };
  };
  creds.view = (await issue("view")).token;
  creds.expired = (await issue("admin", 1)).token;
  const revoked = await issue("admin");
  creds.revoked = revoked.token;
  expect((await call("DELETE", `/v1/clusters/${clusterA.id}/tokens/${revoked.id}`, { token: a.token })).status).toBe(
    200,
  );
  creds.join = clusterA.joinToken;
  creds.otherTenantAdmin = clusterB.adminToken;
  creds.otherTenantAccount = b.token;
  creds.ownAccountToken = a.token;
  await new Promise((resolve) => setTimeout(resolve, 1100)); // let the 1-second token expire
});

describe("the Kubernetes API of tenant A's cluster", () => {
  const refused = [
    "none",
    "malformed",
    "otherTenantAdmin",
    "otherTenantAccount",
    "ownAccountToken",
    "join",
    "revoked",
    "expired",
  ];

  for (const who of refused)
    it(`refuses every verb with ${who} credentials: 401`, async () => {
      for (const v of verbs) {
        const res =
          who === "none"
            ? await request(undefined, v)
            : who === "malformed"
              ? await request(undefined, v, { authorization: "Bearer" })
              : await request(creds[who], v);
        expect(res.status, `${who} ${v.verb}: ${res.text}`).toBe(401);
        expect(res.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
      }
      for (const header of [
        "Basic YWRtaW46YWRtaW4=",
        "Bearer fltc_not-a-real-token",
        `Bearer ${clusterA.adminToken}x`,
        `bearer  ${"a".repeat(5000)}`,
      ])
        expect((await request(undefined, verbs[4], { authorization: header })).status).toBe(401);
    });

  it("lets a view token read and refuses its writes with 403 Forbidden", async () => {
    for (const v of verbs) {
      const res = await request(creds.view, v);
      if (v.write) {
        expect(res.status, `view ${v.verb}: ${res.text}`).toBe(403);
        expect(res.body).toMatchObject({ kind: "Status", reason: "Forbidden" });
        expect(res.body.message).toMatch(/cannot (create|update|patch|delete|deletecollection) resource/);
      } else expect(res.status, `view ${v.verb}: ${res.text}`).toBe(200);
    }
  });

  it("left tenant A's objects untouched", async () => {
    const res = await kube(clusterA.id, clusterA.adminToken, "GET", `${NS}/configmaps`);
    // kube-root-ca.crt is the cluster's own (root-ca-cert-publisher), as in every namespace upstream.
    const names = res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(names).toEqual(["kube-root-ca.crt", "target"]);
    expect(res.body.items[1].data).toEqual({ owner: "a" });
    expect((await kube(clusterA.id, clusterA.adminToken, "GET", "/api/v1/namespaces/x")).status).toBe(404);
  });

  it("serves the owner's admin token for every verb", async () => {
    for (const v of verbs) {
      const res = await request(clusterA.adminToken, v);
      expect(res.status, `admin ${v.verb}: ${res.text}`).toBeLessThan(400);
    }
  });

  it("tenant B's token works on B's cluster and never on A's", async () => {
    expect((await kube(clusterB.id, clusterB.adminToken, "GET", `${NS}/configmaps`)).status).toBe(200);
    expect((await kube(clusterA.id, clusterB.adminToken, "GET", `${NS}/configmaps`)).status).toBe(401);
    expect((await kube(clusterB.id, clusterA.adminToken, "GET", `${NS}/configmaps`)).status).toBe(401);
  });

  it("answers 404 for an id that /v1 never created, without waking an object (test/e2e/strangers.test.ts counts files)", async () => {
    const res = await kube("abcdefghijklmnopqrstuvwxyz", clusterA.adminToken, "GET", "/api/v1/namespaces");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: "Status", reason: "NotFound", code: 404 });
  });
});

describe("tenant A's cluster at the server's root (the token names the cluster)", () => {
  const root = (token: string | undefined, v: Verb, raw?: Record<string, string>) => request(token, v, raw, "");

  it("serves the owner's admin token for every verb and the view token for reads", async () => {
    // The matrix above deleted the target (unless filtered out); made again through the root.
    const made = await call("POST", `${NS}/configmaps`, { token: clusterA.adminToken, body: configMap("target") });
    expect([201, 409], made.text).toContain(made.status);
    for (const v of verbs) {
      const view = await root(creds.view, v);
      expect(view.status, `view ${v.verb}: ${view.text}`).toBe(v.write ? 403 : 200);
      const admin = await root(clusterA.adminToken, v);
      // Namespace "x" exists since the matrix above: AlreadyExists also shows the write was let in.
      if (v.verb === "create namespace") expect(admin.body.reason, admin.text).toBe("AlreadyExists");
      else expect(admin.status, `admin ${v.verb}: ${admin.text}`).toBeLessThan(400);
    }
  });

  it("refuses every verb without a token naming a live credential of the cluster: 401 Status", async () => {
    for (const who of ["none", "otherTenantAccount", "ownAccountToken", "join", "revoked", "expired"])
      for (const v of verbs) {
        const res = await root(creds[who], v);
        expect(res.status, `${who} ${v.verb}: ${res.text}`).toBe(401);
        expect(res.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
      }
  });

  it("never lets tenant B's token reach A's objects, even with A's id spliced into it", async () => {
    // B's token at the root is B's cluster: A's configmap is not there.
    const bOwn = await call("GET", `${NS}/configmaps/target`, { token: clusterB.adminToken });
    expect(bOwn.status, bOwn.text).toBe(404);
    const secret = clusterB.adminToken.slice(`fltc_${clusterB.id}_`.length);
    for (const forged of [`fltc_${clusterA.id}_${secret}`, `fltc_${clusterA.id}_${"A".repeat(43)}`]) {
      const res = await call("GET", `${NS}/configmaps/target`, { token: forged });
      expect(res.status, res.text).toBe(401);
    }
    // A JWT claiming A's cluster as issuer is routed there and refused: nothing signed it.
    const claims = btoa(JSON.stringify({ iss: `https://x/clusters/${clusterA.id}`, sub: "system:admin" }));
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${claims.replaceAll("=", "")}.c2ln`;
    expect((await call("GET", `${NS}/configmaps/target`, { token: jwt })).status).toBe(401);
  });

  it("answers 401 for a token naming a cluster /v1 never created (no object woken) or a deleted one", async () => {
    const stranger = `fltc_abcdefghijklmnopqrstuvwxyz_${"A".repeat(43)}`;
    const res = await call("GET", "/api/v1/namespaces", { token: stranger });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    // The Worker's own paths stay its own: a miss under /v1 or /clusters is never taken for the root cluster.
    expect((await call("GET", "/v1/nothing-here", { token: clusterA.adminToken })).status).toBe(404);
    expect((await call("GET", "/clusters", { token: clusterA.adminToken })).status).toBe(404);
  });
});

describe("the /v1 routes of tenant A's cluster", () => {
  const routes = () => [
    { method: "GET", path: `/v1/clusters/${clusterA.id}` },
    { method: "DELETE", path: `/v1/clusters/${clusterA.id}` },
    { method: "GET", path: `/v1/clusters/${clusterA.id}/tokens` },
    { method: "POST", path: `/v1/clusters/${clusterA.id}/tokens`, body: { role: "admin" } },
    { method: "DELETE", path: `/v1/clusters/${clusterA.id}/tokens/${clusterA.adminTokenId}` },
    { method: "POST", path: `/v1/clusters/${clusterA.id}/kubeconfig`, body: {} },
  ];

  it("answer 401 without an account token, with a malformed one, or with a cluster token", async () => {
    for (const token of [undefined, "garbage", "flta_short", clusterA.adminToken, creds.view])
      for (const r of routes()) {
        const res = await call(r.method, r.path, { token, body: r.body });
        expect(res.status, `${token} ${r.method} ${r.path}: ${res.text}`).toBe(401);
        expect(res.body.error.code).toBe("unauthenticated");
      }
  });

  it("answer 404 to another tenant, exactly as for a cluster that does not exist", async () => {
    for (const r of routes()) {
      const res = await call(r.method, r.path, { token: b.token, body: r.body });
      expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    const list = await call("GET", "/v1/clusters", { token: b.token });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([clusterB.id]);
    // A's cluster and its admin token survived B's attempts.
    expect((await kube(clusterA.id, clusterA.adminToken, "GET", "/version")).status).toBe(200);
  });

  it("stop working at once for a logged-out account token", async () => {
    const login = await call("POST", "/v1/login", { body: { email: a.email, password: a.password } });
    expect((await call("GET", `/v1/clusters/${clusterA.id}`, { token: login.body.token })).status).toBe(200);
    await call("POST", "/v1/logout", { token: login.body.token });
    expect((await call("GET", `/v1/clusters/${clusterA.id}`, { token: login.body.token })).status).toBe(401);
  });
});
