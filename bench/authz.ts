// `npx tsx bench/authz.ts [creates]`: what RBAC costs. In one run, ConfigMap creates (as the admin token's
// user, bound through a ClusterRoleBinding, and as a ServiceAccount bound through a RoleBinding, by
// impersonation) with no Roles or RoleBindings of its own, then again after 1,000 Roles and 1,000 RoleBindings
// (for other subjects) were added: creates/s, p99 and the user workerd's CPU per request. The subject index
// should keep the two columns close. The ServiceAccount also by its own bound token (TokenRequest), whose
// signature is verified on every request: the difference to impersonation is the token verification cost.
// Prints figures only.
import { createClient } from "./http.ts";
import { expectStatus } from "./http.ts";
import { runLoad } from "./load.ts";
import { measuredLoad } from "./phases.ts";
import { workerdByRole } from "./procs.ts";
import { ms, perSec, printTable, us } from "./report.ts";
import { startBenchServer } from "./server.ts";

const CREATES = Number(process.argv[2] ?? 1000);
const CONCURRENCY = 16;
const BINDINGS = 1000;
const RBAC = "/apis/rbac.authorization.k8s.io/v1/namespaces/default";
const JSON_TYPE = { "content-type": "application/json" };
const SA = { "impersonate-user": "system:serviceaccount:default:bench" };

async function main(): Promise<void> {
  console.error("starting wrangler dev (temporary FLOTILLA_HOME) …");
  const server = await startBenchServer({ keep: false, live: false });
  try {
    const { url, clusterId, adminToken, caPem } = server.flotilla;
    const client = createClient({ baseUrl: `${url}/clusters/${clusterId}`, token: adminToken, caPem, maxSockets: 32 });
    const roles = workerdByRole(server.flotilla.port);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      client.request("POST", path, { body: JSON.stringify(body), headers: { ...JSON_TYPE, ...headers } });
    const role = (name: string) => ({
      metadata: { name },
      rules: [{ verbs: ["get", "list", "create"], apiGroups: [""], resources: ["configmaps"] }],
    });
    const binding = (name: string, subject: object) => ({
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [subject],
    });
    expectStatus(await post(`${RBAC}/roles`, role("bench")), 201, "role");
    expectStatus(
      await post(`${RBAC}/rolebindings`, binding("bench", { kind: "ServiceAccount", name: "bench" })),
      201,
      "binding",
    );
    expectStatus(await post("/api/v1/namespaces/default/serviceaccounts", { metadata: { name: "bench" } }), 201, "sa");
    const issued = await post("/api/v1/namespaces/default/serviceaccounts/bench/token", { spec: {} });
    expectStatus(issued, 201, "token");
    const TOKEN = { authorization: `Bearer ${JSON.parse(issued.body).status.token}` };
    let round = 0;
    const creates = async (headers: Record<string, string>) => {
      const tag = `r${round++}`;
      const send = (i: number) =>
        post("/api/v1/namespaces/default/configmaps", { metadata: { name: `${tag}-${i}` } }, headers);
      await runLoad(
        100,
        CONCURRENCY,
        (i) => post("/api/v1/namespaces/default/configmaps", { metadata: { name: `${tag}-warm-${i}` } }, headers),
        (r) => void expectStatus(r, 201, "warm-up"),
      );
      return (await measuredLoad(roles, CREATES, CONCURRENCY, send, (r) => void expectStatus(r, 201, "create")))
        .figures;
    };
    const before = { admin: await creates({}), sa: await creates(SA), token: await creates(TOKEN) };
    console.error(`adding ${BINDINGS} Roles and RoleBindings …`);
    await runLoad(
      BINDINGS,
      CONCURRENCY,
      (i) => post(`${RBAC}/roles`, role(`r-${i}`)),
      (r) => void expectStatus(r, 201, "role"),
    );
    await runLoad(
      BINDINGS,
      CONCURRENCY,
      (i) => post(`${RBAC}/rolebindings`, binding(`r-${i}`, { kind: "User", name: `user-${i}` })),
      (r) => void expectStatus(r, 201, "rolebinding"),
    );
    const after = { admin: await creates({}), sa: await creates(SA), token: await creates(TOKEN) };
    const row = (what: string, f: typeof before.admin) => ({
      metric: what,
      value: `${perSec(f.perSecond)}, p50 ${ms(f.latency.p50Ms)}, p99 ${ms(f.latency.p99Ms)}, ${us(f.serverCpuUsPerRequest)} CPU/req`,
    });
    printTable(
      `ConfigMap creates (${CREATES}, concurrency ${CONCURRENCY}): creates/s, p50, p99, server CPU per request`,
      [
        row("admin token (ClusterRoleBinding), no Roles", before.admin),
        row(`admin token, ${BINDINGS} Roles + RoleBindings`, after.admin),
        row("ServiceAccount (RoleBinding, impersonated), no Roles", before.sa),
        row(`ServiceAccount, ${BINDINGS} Roles + RoleBindings`, after.sa),
        row("ServiceAccount by its bound token (RS256 verified per request), no Roles", before.token),
        row(`ServiceAccount by its bound token, ${BINDINGS} Roles + RoleBindings`, after.token),
      ],
    );
    client.close();
  } finally {
    await server.dispose();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
