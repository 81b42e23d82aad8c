// Issue 16's ServiceAccount token items with the real kubectl: `kubectl create token` gives a token that
// `auth whoami` names as the ServiceAccount; RBAC decides what it may do (nothing without a binding, what a
// RoleBinding grants with one, upstream's Forbidden for the rest); a token with another audience, a
// tampered one and one of a deleted ServiceAccount are 401; a legacy token Secret is filled and works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";
import { until } from "./poll.ts";

const BUILDER = "system:serviceaccount:default:builder";

describe("ServiceAccount tokens with the real kubectl", () => {
  let h: Harness;
  const run = (args: string[]) => h.kubectl(args, { allowFail: true });
  const createToken = async (args: string[]) => {
    const res = await run(["create", "token", ...args]);
    expect(res.code, res.stderr).toBe(0);
    return res.stdout.trim();
  };

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("kubectl create token default: auth whoami names the ServiceAccount", async () => {
    const token = await createToken(["default"]);
    const who = await run(["auth", "whoami", `--token=${token}`, "-o", "json"]);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout).status.userInfo).toMatchObject({
      username: "system:serviceaccount:default:default",
      groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"],
    });
  });

  it("RBAC decides: Forbidden without a binding, the RoleBinding's grant with one", async () => {
    expect((await run(["create", "sa", "builder"])).code).toBe(0);
    const token = await createToken(["builder", "--duration=15m"]);
    const denied = await run(["get", "pods", `--token=${token}`]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      `pods is forbidden: User "${BUILDER}" cannot list resource "pods" in API group "" in the namespace "default"`,
    );
    expect((await run(["create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods"])).code).toBe(0);
    const bind = await run([
      "create",
      "rolebinding",
      "builder-reads",
      "--role=pod-reader",
      "--serviceaccount=default:builder",
    ]);
    expect(bind.code, bind.stderr).toBe(0);
    const listed = await run(["get", "pods", `--token=${token}`]);
    expect(listed.code, listed.stderr).toBe(0);
    const del = await run(["delete", "pod", "x", `--token=${token}`]);
    expect(del.code).not.toBe(0);
    expect(del.stderr).toContain(
      `pods "x" is forbidden: User "${BUILDER}" cannot delete resource "pods" in API group "" in the namespace "default"`,
    );
    const can = await run(["auth", "can-i", "list", "pods", `--token=${token}`]);
    expect(can.stdout.trim()).toBe("yes");
  });

  it("another audience, a tampered token and a deleted ServiceAccount's token are 401", async () => {
    expect((await run(["create", "sa", "temp"])).code).toBe(0);
    const token = await createToken(["temp"]);
    const vault = await createToken(["temp", "--audience=vault"]);
    expect((await run(["auth", "whoami", `--token=${token}`])).code).toBe(0);
    for (const bad of [vault, `${token.slice(0, -2)}xx`]) {
      const res = await run(["auth", "whoami", `--token=${bad}`]);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("Unauthorized");
    }
    expect((await run(["delete", "sa", "temp"])).code).toBe(0);
    const gone = await run(["auth", "whoami", `--token=${token}`]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("Unauthorized");
  });

  it("fills a legacy kubernetes.io/service-account-token Secret whose token works", async () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/service-account-token",
      metadata: { name: "builder-token", annotations: { "kubernetes.io/service-account.name": "builder" } },
    };
    expect((await h.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(secret) })).code).toBe(0);
    const encoded = await until("the token controller to fill the Secret", async () => {
      const res = await run(["get", "secret", "builder-token", "-o", "jsonpath={.data.token}"]);
      return res.stdout.trim() || undefined;
    });
    const token = Buffer.from(encoded, "base64").toString("utf8");
    // A legacy token's issuer is upstream's fixed "kubernetes/serviceaccount": it names no cluster, so it is
    // used at the cluster's own URL rather than the server's root (where the token picks the cluster).
    const server = `--server=${h.flotilla.url}/clusters/${h.flotilla.clusterId}`;
    const who = await run(["auth", "whoami", server, `--token=${token}`]);
    expect(who.stdout).toMatch(new RegExp(`^Username\\s+${BUILDER}$`, "m"));
    const described = await run(["describe", "secret", "builder-token"]);
    expect(described.stdout).toMatch(/^Type:\s+kubernetes\.io\/service-account-token$/m);
    expect(described.stdout).toMatch(/^namespace:\s+7 bytes$/m);
  });
});
