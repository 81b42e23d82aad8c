// Shared access with the real `flotilla` CLI and kubectl (issue 16): the owner hands out kubeconfigs for
// named users in groups; RBAC bindings to a user or a group decide what each may do, namespace by
// namespace, with upstream's Forbidden messages; a user cannot grant itself more; revoking ends it.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./flotilla-cli.ts";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { kubectlEnv, runKubectl } from "./kubectl.ts";

describe("shared access with the real flotilla CLI and kubectl", () => {
  let h: Harness;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env);
  const admin = (args: string[]) => h.kubectl(args, { allowFail: true });
  const as = (user: string, args: string[]) =>
    runKubectl(kubectlEnv(path.join(dir, `${user}.yaml`), path.join(dir, "kube-cache")), args, { allowFail: true });

  async function createUser(name: string, groups: string) {
    const made = await cli(
      "users",
      "create",
      h.flotilla.clusterId,
      name,
      "--groups",
      groups,
      "--file",
      `${dir}/${name}.yaml`,
    );
    expect(made.code, made.stderr).toBe(0);
    return made.stdout;
  }

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
    dir = fs.mkdtempSync(path.join(h.home, "shared-"));
    const configDir = path.join(dir, "cli-config");
    fs.mkdirSync(configDir, { mode: 0o700 });
    // The demo account `npm start` made, as `flotilla login` would have saved it.
    fs.writeFileSync(
      path.join(configDir, "credentials.json"),
      JSON.stringify({ server: h.flotilla.url, email: "demo@flotilla.local", token: h.flotilla.accountToken }),
      { mode: 0o600 },
    );
    env = {
      ...process.env,
      FLOTILLA_CONFIG_DIR: configDir,
      FLOTILLA_SERVER: h.flotilla.url,
      FLOTILLA_CA_FILE: h.flotilla.caPath,
      HOME: dir,
    };
    for (const args of [
      ["create", "namespace", "team"],
      ["run", "web", "--image=busybox", "-n", "team"],
      ["create", "secret", "generic", "db", "--from-literal=password=hunter2", "-n", "team"],
    ])
      expect((await admin(args)).code).toBe(0);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("flotilla users create writes a kubeconfig for a named user in its groups, as kubectl auth whoami shows", async () => {
    const out = await createUser("alice", "students");
    expect(out).toMatch(/^User alice \(user-[a-z2-7]{10}, groups: students, expires never\)\.$/m);
    expect(fs.statSync(path.join(dir, "alice.yaml")).mode & 0o777).toBe(0o600);
    const whoami = await as("alice", ["auth", "whoami", "-o", "json"]);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout).status.userInfo).toMatchObject({
      username: "alice",
      groups: ["students", "system:authenticated"],
    });
    const unbound = await as("alice", ["get", "pods", "-n", "team"]);
    expect(unbound.code).not.toBe(0);
    expect(unbound.stderr.trim()).toBe(
      'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "team"',
    );
  });

  it("a user bound to view in one namespace reads pods there (not Secrets) and is Forbidden elsewhere", async () => {
    expect(
      (await admin(["create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice", "-n", "team"])).code,
    ).toBe(0);
    const pods = await as("alice", ["get", "pods", "-n", "team", "-o", "name"]);
    expect(pods.stdout, pods.stderr).toBe("pod/web\n");
    const elsewhere = await as("alice", ["get", "pods"]);
    expect(elsewhere.stderr.trim()).toBe(
      'Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    const secret = await as("alice", ["get", "secret", "db", "-n", "team"]);
    expect(secret.stderr.trim()).toBe(
      'Error from server (Forbidden): secrets "db" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "team"',
    );
    expect((await as("alice", ["auth", "can-i", "list", "pods", "-n", "team"])).stdout.trim()).toBe("yes");
    expect((await as("alice", ["auth", "can-i", "delete", "pods", "-n", "team"])).stdout.trim()).toBe("no");
  });

  it("a group bound to edit deploys in its namespace only, and cannot bind cluster-admin to itself", async () => {
    expect(
      (await admin(["create", "rolebinding", "students-edit", "--clusterrole=edit", "--group=students", "-n", "team"]))
        .code,
    ).toBe(0);
    const deployed = await as("alice", ["create", "deployment", "hello", "--image=busybox", "-n", "team"]);
    expect(deployed.stdout, deployed.stderr).toBe("deployment.apps/hello created\n");
    const outside = await as("alice", ["create", "deployment", "hello", "--image=busybox"]);
    expect(outside.stderr.trim()).toBe(
      'error: failed to create deployment: deployments.apps is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "default"',
    );
    const selfAdmin = await as("alice", [
      "create",
      "rolebinding",
      "root",
      "--clusterrole=cluster-admin",
      "--user=alice",
      "-n",
      "team",
    ]);
    expect(selfAdmin.code).not.toBe(0);
    expect(selfAdmin.stderr).toMatch(
      /rolebindings\.rbac\.authorization\.k8s\.io is forbidden: User "alice" cannot create resource "rolebindings"/,
    );
    const clusterWide = await as("alice", [
      "create",
      "clusterrolebinding",
      "root",
      "--clusterrole=cluster-admin",
      "--user=alice",
    ]);
    expect(clusterWide.stderr).toMatch(/clusterrolebindings\.rbac\.authorization\.k8s\.io is forbidden: User "alice"/);
    expect((await admin(["get", "clusterrolebinding", "root"])).code).not.toBe(0);
  });

  it("a namespace admin may bind what it holds there but not cluster-admin (escalation refused)", async () => {
    await createUser("bob", "leads,students");
    expect(
      (await admin(["create", "rolebinding", "leads-admin", "--clusterrole=admin", "--group=leads", "-n", "team"]))
        .code,
    ).toBe(0);
    const grant = await as("bob", [
      "create",
      "rolebinding",
      "carol-view",
      "--clusterrole=view",
      "--user=carol",
      "-n",
      "team",
    ]);
    expect(grant.stdout, grant.stderr).toBe("rolebinding.rbac.authorization.k8s.io/carol-view created\n");
    const escalate = await as("bob", [
      "create",
      "rolebinding",
      "bob-root",
      "--clusterrole=cluster-admin",
      "--user=bob",
      "-n",
      "team",
    ]);
    expect(escalate.code).not.toBe(0);
    expect(escalate.stderr).toMatch(
      /rolebindings\.rbac\.authorization\.k8s\.io "bob-root" is forbidden: user "bob" \(groups=\["leads" "students" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held/,
    );
  });

  it("flotilla users list shows who has access; revoke ends a user's access at once", async () => {
    const listed = await cli("users", "list", h.flotilla.clusterId);
    expect(listed.stdout).toMatch(/^ID\s+USERNAME\s+GROUPS\s+CREATED\s+EXPIRES$/m);
    expect(listed.stdout).toMatch(/^user-[a-z2-7]{10}\s+alice\s+students\s+\S+\s+never$/m);
    expect(listed.stdout).toMatch(/^user-[a-z2-7]{10}\s+bob\s+leads,students\s+/m);
    const json = JSON.parse((await cli("users", "list", h.flotilla.clusterId, "--json")).stdout);
    const alice = json.find((u: { username: string }) => u.username === "alice");
    const revoked = await cli("users", "revoke", h.flotilla.clusterId, alice.id);
    expect(revoked.stdout).toBe(`User token ${alice.id} revoked; it stops working at once.\n`);
    const after = await as("alice", ["get", "pods", "-n", "team"]);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/You must be logged in to the server \(Unauthorized\)/);
    expect((await as("bob", ["get", "pod", "web", "-n", "team", "-o", "name"])).stdout).toBe("pod/web\n");
    const reserved = await cli("users", "create", h.flotilla.clusterId, "system:admin");
    expect(reserved.code).not.toBe(0);
    expect(reserved.stderr).toMatch(/"username" must not start with "system:"/);
  });
});
