// Issue 16's RBAC "must show" items with the real kubectl: Roles and RoleBindings made with `kubectl create`,
// `auth can-i` (as a ServiceAccount through impersonation), `auth can-i --list`, `auth whoami`, the bootstrap
// bindings in `get clusterrolebindings`, escalation refused to a limited user, and the protected namespaces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const READER = "system:serviceaccount:default:reader";

describe("RBAC with the real kubectl", () => {
  let h: Harness;
  const run = (args: string[]) => h.kubectl(args, { allowFail: true });

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("shows the bootstrap roles and the bindings of the cluster's own tokens", async () => {
    const roles = await run(["get", "clusterroles"]);
    expect(roles.stdout).toMatch(/^NAME\s+CREATED AT$/m);
    for (const name of ["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user"])
      expect(roles.stdout).toMatch(new RegExp(`^${name}\\s`, "m"));
    const bindings = await run(["get", "clusterrolebindings", "-o", "wide"]);
    expect(bindings.stdout).toMatch(/^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/m);
    expect(bindings.stdout).toMatch(/^flotilla:admins\s+ClusterRole\/cluster-admin\s+\S+\s+flotilla:admins\s*$/m);
    expect(bindings.stdout).toMatch(/^flotilla:viewers\s+ClusterRole\/view\s/m);
    const view = JSON.parse((await run(["get", "clusterrole", "view", "-o", "json"])).stdout);
    expect(view.metadata.annotations["rbac.authorization.kubernetes.io/autoupdate"]).toBe("true");
    expect(view.rules.some((r: { resources?: string[] }) => r.resources?.includes("pods"))).toBe(true);
  });

  it("creates a ServiceAccount, Role and RoleBinding; can-i answers for the ServiceAccount", async () => {
    expect((await run(["create", "sa", "reader"])).stdout).toBe("serviceaccount/reader created\n");
    const role = await run(["create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods"]);
    expect(role.stdout, role.stderr).toBe("role.rbac.authorization.k8s.io/pod-reader created\n");
    const binding = await run([
      "create",
      "rolebinding",
      "read-pods",
      "--role=pod-reader",
      "--serviceaccount=default:reader",
    ]);
    expect(binding.stdout, binding.stderr).toBe("rolebinding.rbac.authorization.k8s.io/read-pods created\n");
    const table = await run(["get", "role,rolebinding", "-o", "wide"]);
    expect(table.stdout).toMatch(/^role\.rbac\.authorization\.k8s\.io\/pod-reader\s/m);
    expect(table.stdout).toMatch(
      /^rolebinding\.rbac\.authorization\.k8s\.io\/read-pods\s+Role\/pod-reader\s+\S+\s+default:reader\s*$/m,
    );

    const yes = await run(["auth", "can-i", "list", "pods", `--as=${READER}`]);
    expect(yes.stdout.trim(), yes.stderr).toBe("yes");
    expect(yes.code).toBe(0);
    const no = await run(["auth", "can-i", "delete", "pods", `--as=${READER}`]);
    expect(no.stdout.trim(), no.stderr).toBe("no");
    expect(no.code).not.toBe(0);
    const elsewhere = await run(["auth", "can-i", "list", "pods", "-n", "kube-system", `--as=${READER}`]);
    expect(elsewhere.stdout.trim()).toBe("no");
  });

  it("impersonates the ServiceAccount: reads pods, and a delete gets upstream's Forbidden", async () => {
    expect((await run(["get", "pods", `--as=${READER}`])).code).toBe(0);
    const del = await run(["delete", "pod", "x", `--as=${READER}`]);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toContain(
      `pods "x" is forbidden: User "${READER}" cannot delete resource "pods" in API group "" in the namespace "default"`,
    );
    const secrets = await run(["get", "secrets", `--as=${READER}`]);
    expect(secrets.stderr).toContain(`cannot list resource "secrets" in API group "" in the namespace "default"`);
  });

  it("can-i --list shows the Role's rules and the discovery rules", async () => {
    const list = await run(["auth", "can-i", "--list", `--as=${READER}`]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    expect(list.stdout).toMatch(/^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    expect(list.stdout).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s/m);
    expect(list.stdout).toMatch(/^\s+\[\/version\]\s+\[\]\s+\[get\]$/m);
  });

  it("whoami names the admin token's user and an impersonated ServiceAccount", async () => {
    const admin = await run(["auth", "whoami", "-o", "json"]);
    expect(admin.code, admin.stderr).toBe(0);
    const info = JSON.parse(admin.stdout).status.userInfo;
    expect(info.username).toMatch(/^flotilla:admin:/);
    expect(info.groups).toEqual(["flotilla:admins", "system:authenticated"]);
    const sa = await run(["auth", "whoami", `--as=${READER}`]);
    expect(sa.stdout).toMatch(new RegExp(`^Username\\s+${READER}$`, "m"));
    expect(sa.stdout).toMatch(
      /^Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]$/m,
    );
  });

  it("refuses a limited user binding cluster-admin to itself, and lets it bind what it holds", async () => {
    const grant = await run(["create", "rolebinding", "lead", "--clusterrole=admin", "--user=lead"]);
    expect(grant.code, grant.stderr).toBe(0);
    const as = ["--as=lead"];
    const escalate = await run(["create", "rolebinding", "mine", "--clusterrole=cluster-admin", "--user=lead", ...as]);
    expect(escalate.code).not.toBe(0);
    expect(escalate.stderr).toContain(
      'rolebindings.rbac.authorization.k8s.io "mine" is forbidden: user "lead" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:',
    );
    const cluster = await run([
      "create",
      "clusterrolebinding",
      "mine",
      "--clusterrole=cluster-admin",
      "--user=lead",
      ...as,
    ]);
    expect(cluster.stderr).toContain(
      'clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "lead" cannot create resource "clusterrolebindings"',
    );
    // Binding what it holds is fine: admin in its own namespace.
    const own = await run(["create", "rolebinding", "helper", "--clusterrole=edit", "--user=helper", ...as]);
    expect(own.code, own.stderr).toBe(0);
    expect((await run(["get", "rolebinding", "mine"])).code).not.toBe(0);
  });

  it("refuses to delete the protected namespaces; delete ns --all leaves them", async () => {
    for (const ns of ["default", "kube-system", "kube-public"]) {
      const res = await run(["delete", "namespace", ns]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(`namespaces "${ns}" is forbidden: this namespace may not be deleted`);
    }
    await run(["create", "namespace", "scratch"]);
    await run(["delete", "namespace", "--all", "--wait=false"]);
    const left = await run(["get", "namespaces", "-o", "name"]);
    for (const ns of ["default", "kube-system", "kube-public"]) expect(left.stdout).toContain(`namespace/${ns}\n`);
  });
});
