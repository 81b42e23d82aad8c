// Access control through the real Worker and cluster object: the reviews, impersonation, escalation checks,
// bootstrap policy and the aggregation controller, each against upstream's answers and wording.
import { describe, expect, it } from "vitest";
import { type ClusterClient, newCluster } from "../testing/cluster-client.ts";

const AUTHZ = "/apis/authorization.k8s.io/v1";
const AUTHN = "/apis/authentication.k8s.io/v1";
const RBAC = "/apis/rbac.authorization.k8s.io/v1";
const as = (user: string, groups: string[] = []) => ({
  "impersonate-user": user,
  ...(groups.length ? { "impersonate-group": groups.join(", ") } : {}),
});

async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function role(k: ClusterClient, name: string, rules: unknown[], headers?: Record<string, string>) {
  return k.request("POST", `${RBAC}/namespaces/default/roles`, { metadata: { name }, rules }, headers);
}

describe("access reviews", () => {
  it("answers SelfSubjectAccessReview, SubjectAccessReview and LocalSubjectAccessReview", async () => {
    const k = await newCluster();
    const ssar = await k.request("POST", `${AUTHZ}/selfsubjectaccessreviews`, {
      spec: { resourceAttributes: { verb: "delete", resource: "pods", namespace: "default" } },
    });
    expect(ssar.status).toBe(201);
    expect(ssar.body.status.allowed).toBe(true);
    expect(ssar.body.status.reason).toMatch(
      /^RBAC: allowed by ClusterRoleBinding "flotilla:admins" of ClusterRole "cluster-admin" to Group "flotilla:admins"$/,
    );
    const sar = (user: string, verb: string, resource: string) =>
      k.request("POST", `${AUTHZ}/subjectaccessreviews`, {
        spec: { user, resourceAttributes: { verb, resource, namespace: "default" } },
      });
    expect((await sar("nobody", "get", "pods")).body.status).toEqual({ allowed: false });
    const invalid = await k.request("POST", `${AUTHZ}/subjectaccessreviews`, { spec: {} });
    expect(invalid.status).toBe(422);
    expect(invalid.body.message).toBe(
      'SubjectAccessReview.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
    );
    const local = await k.request("POST", `${AUTHZ}/namespaces/other/localsubjectaccessreviews`, {
      spec: { user: "u", resourceAttributes: { verb: "get", resource: "pods", namespace: "default" } },
    });
    expect(local.status).toBe(422);
    expect(local.body.details.causes[0].field).toBe("spec.resourceAttributes.namespace");
    expect((await k.request("GET", `${AUTHZ}/selfsubjectaccessreviews`)).status).toBe(405);
  });

  it("lists a user's rules, reviews tokens without echoing them, and says who the caller is", async () => {
    const k = await newCluster();
    const rules = await k.request(
      "POST",
      `${AUTHZ}/selfsubjectrulesreviews`,
      { spec: { namespace: "default" } },
      as("someone"),
    );
    expect(rules.status).toBe(201);
    expect(rules.body.status.resourceRules).toContainEqual({
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    });
    expect(
      rules.body.status.nonResourceRules.flatMap((r: { nonResourceURLs: string[] }) => r.nonResourceURLs),
    ).toContain("/version");
    expect((await k.request("POST", `${AUTHZ}/selfsubjectrulesreviews`, { spec: {} })).status).toBe(400);

    const review = await k.request("POST", `${AUTHN}/tokenreviews`, { spec: { token: k.token } });
    expect(review.status).toBe(201);
    expect(review.body.status).toMatchObject({
      authenticated: true,
      user: { groups: ["flotilla:admins", "system:authenticated"] },
    });
    expect(review.text).not.toContain(k.token);
    const bad = await k.request("POST", `${AUTHN}/tokenreviews`, { spec: { token: "fltc_nope" } });
    expect(bad.body.status).toEqual({ authenticated: false });
    expect((await k.request("POST", `${AUTHN}/tokenreviews`, { spec: {} })).body.message).toBe(
      "token is required for TokenReview in authentication",
    );
    const me = await k.request(
      "POST",
      `${AUTHN}/selfsubjectreviews`,
      {},
      { ...as("ann", ["devs"]), "impersonate-extra-scopes": "a" },
    );
    expect(me.body.status.userInfo).toEqual({
      username: "ann",
      groups: ["devs", "system:authenticated"],
      extra: { scopes: ["a"] },
    });
  });
});

describe("impersonation", () => {
  it("acts as the impersonated user, needs a user when groups are asked for, and grants impersonate by RBAC", async () => {
    const k = await newCluster();
    const asBob = await k.request("GET", "/api/v1/namespaces/default/pods", undefined, as("bob"));
    expect(asBob.status).toBe(403);
    expect(asBob.body.message).toBe(
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const noUser = await k.request("GET", "/api/v1/pods", undefined, { "impersonate-group": "g" });
    expect(noUser.status).toBe(400);
    expect(noUser.body.message).toBe("requested groups g without impersonating a user");
    const sar = async () =>
      (
        await k.request("POST", `${AUTHZ}/subjectaccessreviews`, {
          spec: { user: "bob", resourceAttributes: { verb: "impersonate", resource: "users", name: "carol" } },
        })
      ).body.status.allowed;
    expect(await sar()).toBe(false);
    await k.request("POST", `${RBAC}/clusterroles`, {
      metadata: { name: "impersonate-carol" },
      rules: [{ verbs: ["impersonate"], apiGroups: [""], resources: ["users"], resourceNames: ["carol"] }],
    });
    await k.request("POST", `${RBAC}/clusterrolebindings`, {
      metadata: { name: "bob-as-carol" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "impersonate-carol" },
      subjects: [{ kind: "User", name: "bob" }],
    });
    expect(await sar()).toBe(true);
  });
});

describe("escalation prevention", () => {
  it("refuses rules the user does not hold, unless it has escalate; binds only what it holds or may bind", async () => {
    const k = await newCluster();
    const bind = (name: string, roleRef: object, subjects: object[], headers?: Record<string, string>) =>
      k.request("POST", `${RBAC}/namespaces/default/rolebindings`, { metadata: { name }, roleRef, subjects }, headers);
    const asLead = as("lead");
    expect(
      (
        await bind("lead-admin", { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" }, [
          { kind: "User", name: "lead" },
        ])
      ).status,
    ).toBe(201);
    const own = await role(k, "ok", [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], asLead);
    expect(own.status, own.text).toBe(201);
    const nodes = await role(k, "nodes", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["nodes"] }], asLead);
    expect(nodes.status).toBe(403);
    expect(nodes.body.message).toBe(
      'roles.rbac.authorization.k8s.io "nodes" is forbidden: user "lead" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}',
    );
    expect((await k.request("GET", `${RBAC}/namespaces/default/roles/nodes`)).status).toBe(404);
    const toAdmin = await bind(
      "x",
      { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      [{ kind: "User", name: "lead" }],
      asLead,
    );
    expect(toAdmin.status).toBe(403);
    expect(toAdmin.body.message).toContain('{APIGroups:["*"], Resources:["*"], Verbs:["*"]}');
    const missing = await bind(
      "y",
      { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "absent" },
      [{ kind: "User", name: "z" }],
      asLead,
    );
    expect(missing.status).toBe(404);
    // Given escalate on roles and bind on clusterroles/cluster-admin, both go through.
    await k.request("POST", `${RBAC}/clusterroles`, {
      metadata: { name: "delegate" },
      rules: [
        { verbs: ["escalate"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"] },
        {
          verbs: ["bind"],
          apiGroups: ["rbac.authorization.k8s.io"],
          resources: ["clusterroles"],
          resourceNames: ["cluster-admin"],
        },
      ],
    });
    await bind("lead-delegate", { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "delegate" }, [
      { kind: "User", name: "lead" },
    ]);
    expect((await role(k, "nodes", [{ verbs: ["get"], apiGroups: [""], resources: ["nodes"] }], asLead)).status).toBe(
      201,
    );
    expect(
      (
        await bind(
          "x",
          { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
          [{ kind: "User", name: "z" }],
          asLead,
        )
      ).status,
    ).toBe(201);
  });

  it("keeps roleRef immutable and validates as upstream", async () => {
    const k = await newCluster();
    const created = await k.request("POST", `${RBAC}/clusterrolebindings`, {
      metadata: { name: "b" },
      roleRef: { kind: "ClusterRole", name: "view" },
      subjects: [
        { kind: "User", name: "u" },
        { kind: "ServiceAccount", name: "sa" },
      ],
    });
    expect(created.status).toBe(422);
    expect(created.body.message).toBe(
      'ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: subjects[1].namespace: Required value',
    );
    const ok = await k.request("POST", `${RBAC}/clusterrolebindings`, {
      metadata: { name: "b" },
      roleRef: { kind: "ClusterRole", name: "view" },
      subjects: [{ kind: "User", name: "u" }],
    });
    expect(ok.body.roleRef.apiGroup).toBe("rbac.authorization.k8s.io");
    expect(ok.body.subjects[0].apiGroup).toBe("rbac.authorization.k8s.io");
    const changed = await k.request(
      "PATCH",
      `${RBAC}/clusterrolebindings/b`,
      { roleRef: { name: "edit" } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(changed.status).toBe(422);
    expect(changed.body.details.causes[0]).toMatchObject({
      field: "roleRef",
      message: expect.stringContaining("cannot change roleRef"),
    });
    const badRule = await k.request("POST", `${RBAC}/namespaces/default/roles`, {
      metadata: { name: "r" },
      rules: [{ verbs: [], nonResourceURLs: ["/x"] }],
    });
    expect(badRule.body.details.causes.map((c: { field: string }) => c.field)).toEqual([
      "rules[0].verbs",
      "rules[0].nonResourceURLs",
    ]);
  });
});

describe("bootstrap policy and aggregation", () => {
  it("starts with upstream's roles, and aggregates a labelled ClusterRole into view, edit and admin", async () => {
    const k = await newCluster();
    const view = await k.request("GET", `${RBAC}/clusterroles/view`);
    expect(view.body.metadata.labels["kubernetes.io/bootstrapping"]).toBe("rbac-defaults");
    expect(view.body.rules.some((r: { resources?: string[] }) => r.resources?.includes("secrets"))).toBe(false);
    const edit = await k.request("GET", `${RBAC}/clusterroles/edit`);
    expect(edit.body.rules.some((r: { resources?: string[] }) => r.resources?.includes("secrets"))).toBe(true);
    const widget = { verbs: ["get"], apiGroups: ["example.com"], resources: ["widgets"] };
    await k.request("POST", `${RBAC}/clusterroles`, {
      metadata: { name: "widgets-view", labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
      rules: [widget],
    });
    const has = (name: string) => async () =>
      ((await k.request("GET", `${RBAC}/clusterroles/${name}`)).body.rules ?? []).some((r: { resources?: string[] }) =>
        r.resources?.includes("widgets"),
      );
    for (const name of ["view", "edit", "admin"]) await poll(has(name), (v) => v, `widgets in ${name}`);
    await k.request("DELETE", `${RBAC}/clusterroles/widgets-view`);
    await poll(has("admin"), (v) => !v, "widgets gone from admin");
  });

  it("keeps the protected namespaces", async () => {
    const k = await newCluster();
    const res = await k.request("DELETE", "/api/v1/namespaces/kube-system");
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: "Forbidden",
      message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
      details: { name: "kube-system", kind: "namespaces" },
    });
    expect((await k.request("GET", "/api/v1/namespaces/kube-system")).body.status.phase).toBe("Active");
  });
});
