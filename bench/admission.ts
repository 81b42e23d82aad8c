// `npx tsx bench/admission.ts [creates]`: what namespace policy costs a pod create. In one run, the same pod
// (with requests and limits) is created in a namespace with no policy and in one with 10 ResourceQuotas
// (pod count and compute) and 10 LimitRanges, alternating rounds so load on the machine falls on both
// alike: creates/s, p50, p99 and the user workerd's CPU per request, and the ratio of medians.
// (Pod Security admission is not built yet, so it is not in the figures.) Prints figures only.
import { createClient, expectStatus } from "./http.ts";
import { runLoad } from "./load.ts";
import { type LoadFigures, measuredLoad } from "./phases.ts";
import { workerdByRole } from "./procs.ts";
import { ms, perSec, printTable, us } from "./report.ts";
import { startBenchServer } from "./server.ts";
import { median } from "./stats.ts";

const CREATES = Number(process.argv[2] ?? 500);
const ROUNDS = 3;
const CONCURRENCY = 16;
const POLICIES = 10;
const JSON_TYPE = { "content-type": "application/json" };

const pod = (name: string) => ({
  metadata: { name },
  spec: {
    containers: [
      {
        name: "app",
        image: "busybox:stable",
        resources: { requests: { cpu: "1m", memory: "1Mi" }, limits: { cpu: "2m", memory: "2Mi" } },
      },
    ],
  },
});

const quota = (i: number) => ({
  metadata: { name: `q-${i}` },
  spec: { hard: { pods: "100000", "requests.cpu": "1000", "limits.memory": "1000Gi", "count/configmaps": "50" } },
});

const limitRange = (i: number) => ({
  metadata: { name: `lr-${i}` },
  spec: {
    limits: [
      { type: "Container", max: { memory: "64Gi" }, min: { memory: "1Ki" }, defaultRequest: { cpu: "1m" } },
      { type: "Pod", max: { cpu: "64" } },
    ],
  },
});

async function main(): Promise<void> {
  console.error("starting wrangler dev (temporary FLOTILLA_HOME) …");
  const server = await startBenchServer({ keep: false, live: false });
  try {
    const { url, clusterId, adminToken, caPem } = server.flotilla;
    const client = createClient({ baseUrl: `${url}/clusters/${clusterId}`, token: adminToken, caPem, maxSockets: 32 });
    const roles = workerdByRole(server.flotilla.port);
    const post = (path: string, body: unknown) =>
      client.request("POST", path, { body: JSON.stringify(body), headers: JSON_TYPE });
    for (const ns of ["plain", "policed"]) {
      expectStatus(await post("/api/v1/namespaces", { metadata: { name: ns } }), 201, ns);
      // Pods wait for their namespace's `default` ServiceAccount, which a controller creates.
      while ((await client.request("GET", `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status !== 200)
        await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < POLICIES; i++) {
      expectStatus(await post("/api/v1/namespaces/policed/resourcequotas", quota(i)), 201, "quota");
      expectStatus(await post("/api/v1/namespaces/policed/limitranges", limitRange(i)), 201, "limitrange");
    }
    let round = 0;
    const creates = async (ns: string): Promise<LoadFigures> => {
      const tag = `r${round++}`;
      const send = (i: number) => post(`/api/v1/namespaces/${ns}/pods`, pod(`${tag}-${i}`));
      await runLoad(
        50,
        CONCURRENCY,
        (i) => post(`/api/v1/namespaces/${ns}/pods`, pod(`${tag}-warm-${i}`)),
        (r) => void expectStatus(r, 201, "warm-up"),
      );
      return (await measuredLoad(roles, CREATES, CONCURRENCY, send, (r) => void expectStatus(r, 201, "create")))
        .figures;
    };
    const plain: LoadFigures[] = [];
    const policed: LoadFigures[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      plain.push(await creates("plain"));
      policed.push(await creates("policed"));
    }
    const row = (what: string, figures: LoadFigures[]) => ({
      metric: what,
      value: `${perSec(median(figures.map((f) => f.perSecond)))}, p50 ${ms(median(figures.map((f) => f.latency.p50Ms)))}, p99 ${ms(median(figures.map((f) => f.latency.p99Ms)))}, ${us(median(figures.map((f) => f.serverCpuUsPerRequest)))} CPU/req`,
    });
    const cpu = (figures: LoadFigures[]) => median(figures.map((f) => f.serverCpuUsPerRequest));
    printTable(`Pod creates (${CREATES} × ${ROUNDS} rounds each, concurrency ${CONCURRENCY}), medians of the rounds`, [
      row("namespace without policy", plain),
      row(`namespace with ${POLICIES} ResourceQuotas + ${POLICIES} LimitRanges`, policed),
      { metric: "server CPU per create, policed ÷ plain", value: (cpu(policed) / cpu(plain)).toFixed(2) },
    ]);
    client.close();
  } finally {
    await server.dispose();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
