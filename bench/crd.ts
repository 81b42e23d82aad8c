// `npx tsx bench/crd.ts [count]`: custom resources beside ConfigMaps in one run. Creates `count` (10,000 by
// default) Widgets of a small CRD and as many ConfigMaps, interleaved in rounds so machine load falls on
// both alike: creates/s and server CPU per create, then the time of a full list of each. Then the cost of
// schema validation: creates of a CR whose schema has 200 fields (every field set), against the small CR.
// Prints figures only.
import { createClient, expectStatus } from "./http.ts";
import { type LoadFigures, measuredLoad } from "./phases.ts";
import { workerdByRole } from "./procs.ts";
import { ms, perSec, printTable, us } from "./report.ts";
import { startBenchServer } from "./server.ts";
import { median } from "./stats.ts";

const COUNT = Number(process.argv[2] ?? 10_000);
const ROUNDS = 4;
const CONCURRENCY = 16;
const FIELDS = 200;
const JSON_TYPE = { "content-type": "application/json" };

function crd(plural: string, kind: string, properties: Record<string, unknown>) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.bench.example.com` },
    spec: {
      group: "bench.example.com",
      names: { plural, kind },
      scope: "Namespaced",
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties } } } },
        },
      ],
    },
  };
}

const wideProperties = Object.fromEntries(
  Array.from({ length: FIELDS }, (_, i) => [
    `f${i}`,
    i % 3 === 0
      ? { type: "integer", minimum: 0, maximum: 1000 }
      : i % 3 === 1
        ? { type: "string", maxLength: 64, pattern: "^[a-z0-9-]+$" }
        : { type: "string", enum: ["a", "b", "c"] },
  ]),
);
const wideSpec = Object.fromEntries(
  Array.from({ length: FIELDS }, (_, i) => [`f${i}`, i % 3 === 0 ? i : i % 3 === 1 ? `value-${i}` : "b"]),
);

async function main(): Promise<void> {
  console.error("starting wrangler dev (temporary FLOTILLA_HOME) …");
  const server = await startBenchServer({ keep: false, live: false });
  try {
    const { url, clusterId, adminToken, caPem } = server.flotilla;
    const client = createClient({ baseUrl: `${url}/clusters/${clusterId}`, token: adminToken, caPem, maxSockets: 32 });
    const roles = workerdByRole(server.flotilla.port);
    const post = (path: string, body: unknown) =>
      client.request("POST", path, { body: JSON.stringify(body), headers: JSON_TYPE });
    const crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    expectStatus(
      await post(crds, crd("widgets", "Widget", { size: { type: "string", enum: ["s", "l"] } })),
      201,
      "crd",
    );
    expectStatus(await post(crds, crd("wides", "Wide", wideProperties)), 201, "wide crd");
    const widgets = "/apis/bench.example.com/v1/namespaces/default/widgets";
    const wides = "/apis/bench.example.com/v1/namespaces/default/wides";
    while ((await client.request("GET", widgets)).status !== 200 || (await client.request("GET", wides)).status !== 200)
      await new Promise((r) => setTimeout(r, 100));

    const perRound = Math.ceil(COUNT / ROUNDS);
    const run = async (n: number, send: (i: number) => ReturnType<typeof post>) =>
      (await measuredLoad(roles, n, CONCURRENCY, send, (r) => void expectStatus(r, 201, "create"))).figures;
    const cms: LoadFigures[] = [];
    const crs: LoadFigures[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      cms.push(
        await run(perRound, (i) =>
          post("/api/v1/namespaces/default/configmaps", { metadata: { name: `cm-${r}-${i}` }, data: { size: "s" } }),
        ),
      );
      crs.push(
        await run(perRound, (i) =>
          post(widgets, {
            apiVersion: "bench.example.com/v1",
            kind: "Widget",
            metadata: { name: `w-${r}-${i}` },
            spec: { size: "s" },
          }),
        ),
      );
    }
    const listTime = async (path: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        expectStatus(await client.request("GET", path), 200, "list");
        times.push(performance.now() - start);
      }
      return median(times);
    };
    const cmList = await listTime("/api/v1/namespaces/default/configmaps");
    const crList = await listTime(widgets);
    const small: LoadFigures[] = [];
    const wide: LoadFigures[] = [];
    const n = Math.min(500, perRound);
    for (let r = 0; r < 3; r++) {
      small.push(
        await run(n, (i) =>
          post(widgets, {
            apiVersion: "bench.example.com/v1",
            kind: "Widget",
            metadata: { name: `s-${r}-${i}` },
            spec: { size: "l" },
          }),
        ),
      );
      wide.push(
        await run(n, (i) =>
          post(wides, {
            apiVersion: "bench.example.com/v1",
            kind: "Wide",
            metadata: { name: `x-${r}-${i}` },
            spec: wideSpec,
          }),
        ),
      );
    }
    const row = (what: string, figures: LoadFigures[]) => ({
      metric: what,
      value: `${perSec(median(figures.map((f) => f.perSecond)))}, p50 ${ms(median(figures.map((f) => f.latency.p50Ms)))}, ${us(median(figures.map((f) => f.serverCpuUsPerRequest)))} CPU/req`,
    });
    const cpu = (figures: LoadFigures[]) => median(figures.map((f) => f.serverCpuUsPerRequest));
    printTable(
      `${perRound * ROUNDS} ConfigMaps and ${perRound * ROUNDS} Widgets (${ROUNDS} interleaved rounds, concurrency ${CONCURRENCY})`,
      [
        row("ConfigMap creates", cms),
        row("Widget (CR) creates", crs),
        { metric: "full list of the ConfigMaps (median of 5)", value: ms(cmList) },
        { metric: "full list of the Widgets (median of 5)", value: ms(crList) },
        row(`CR creates, 1-field schema (${n} × 3)`, small),
        row(`CR creates, ${FIELDS}-field schema, every field set (${n} × 3)`, wide),
        { metric: `server CPU per create, ${FIELDS} fields − 1 field`, value: us(cpu(wide) - cpu(small)) },
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
