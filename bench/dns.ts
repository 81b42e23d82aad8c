// DNS query latency: the agent's cluster DNS server (agent/dns, on real UDP sockets, with a zone of
// thousands of Services) beside the host's resolver, one query at a time. Rounds of N queries each; the
// figures are the medians over the rounds of each round's p50 and p99.
//   npx tsx bench/dns.ts [--services 5000] [--rounds 5] [--queries 400] [--name registry.npmjs.org]
import { performance } from "node:perf_hooks";
import type { ClusterDNSData, DNSService } from "../kube/agent-protocol.ts";
import { AnswerCache } from "../agent/dns/cache.ts";
import { Forwarder } from "../agent/dns/forwarder.ts";
import { readHostResolvConf, upstreamsOf } from "../agent/dns/resolv-conf.ts";
import { DNSServer } from "../agent/dns/server.ts";
import { askUdp, queryPacket } from "../agent/dns/testing.ts";
import { ClusterZone } from "../agent/dns/zone.ts";
import { median, round, summarize } from "./stats.ts";

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const SERVICES = Number(arg("services", "5000"));
const ROUNDS = Number(arg("rounds", "5"));
const QUERIES = Number(arg("queries", "400"));
const EXTERNAL = arg("name", "registry.npmjs.org");

function clusterData(n: number): ClusterDNSData {
  const services: DNSService[] = [];
  for (let i = 0; i < n; i++) {
    const headless = i % 10 === 0;
    services.push({
      namespace: `ns${i % 50}`,
      name: `svc${i}`,
      type: "ClusterIP",
      clusterIPs: headless ? [] : [`10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`],
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
      ...(headless
        ? {
            endpoints: [1, 2, 3].map((k) => ({
              ip: `10.244.${k}.${i & 255}`,
              ports: [{ name: "http", port: 8080, protocol: "TCP" }],
            })),
          }
        : {}),
    });
  }
  return { version: "1", namespaces: Array.from({ length: 50 }, (_, i) => `ns${i}`), services };
}

async function measure(host: string, port: number, name: string | ((i: number) => string), type: "A" | "SRV" = "A") {
  const p50: number[] = [];
  const p99: number[] = [];
  let failed = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const samples: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const started = performance.now();
      const asked = typeof name === "string" ? name : name(r * QUERIES + i);
      await askUdp(host, port, queryPacket(asked, type), 3000).catch(() => failed++);
      samples.push(performance.now() - started);
    }
    const s = summarize(samples);
    p50.push(s.p50Ms);
    p99.push(s.p99Ms);
  }
  return { p50: round(median(p50), 3), p99: round(median(p99), 3), failed };
}

const built = performance.now();
const zone = new ClusterZone(clusterData(SERVICES));
const buildMs = performance.now() - built;
const host = await readHostResolvConf();
const upstreams = upstreamsOf(host, []);
const forwarder = new Forwarder({ upstreams: () => upstreams });
const server = new DNSServer({
  host: "127.0.0.1",
  port: 0,
  // Forwarded answers cached as the agent caches them (cache.ts, at most 30 s).
  context: { zone: () => zone, forward: new AnswerCache().wrap((q, tcp) => forwarder.forward(q, tcp)) },
});
await server.listen();
const port = server.address!.port;

console.log(
  `cluster DNS bench: ${SERVICES} Services (1 in 10 headless with 3 endpoints), zone built in ${round(buildMs)} ms`,
);
console.log(`${ROUNDS} rounds × ${QUERIES} sequential UDP queries; medians over rounds of each round's p50 / p99 (ms)`);
const rows: [string, Awaited<ReturnType<typeof measure>>][] = [
  [
    "agent: Service A (svc123.ns23.svc.cluster.local)",
    await measure("127.0.0.1", port, "svc123.ns23.svc.cluster.local"),
  ],
  ["agent: headless A, 3 endpoints", await measure("127.0.0.1", port, "svc120.ns20.svc.cluster.local")],
  ["agent: SRV _http._tcp", await measure("127.0.0.1", port, "_http._tcp.svc123.ns23.svc.cluster.local", "SRV")],
  ["agent: NXDOMAIN in the zone", await measure("127.0.0.1", port, "nosuch.ns1.svc.cluster.local")],
];
if (upstreams.length > 0) {
  const up = upstreams[0];
  rows.push([`agent: forwarded ${EXTERNAL} → ${up.host} (cached)`, await measure("127.0.0.1", port, EXTERNAL)]);
  rows.push([`host resolver ${up.host} directly: ${EXTERNAL}`, await measure(up.host, up.port, EXTERNAL)]);
  // A new name each time: every query is a real trip upstream (NXDOMAIN), through the agent and directly.
  const fresh = (tag: string) => (i: number) => `q${i}-${tag}-${process.pid}.example.invalid`;
  rows.push([`agent: forwarded, new name each (uncached) → ${up.host}`, await measure("127.0.0.1", port, fresh("a"))]);
  rows.push([`host resolver ${up.host} directly, new name each`, await measure(up.host, up.port, fresh("h"))]);
} else console.log("(no host resolver in /etc/resolv.conf: forwarded figures skipped)");
for (const [what, r] of rows)
  console.log(
    `  ${what.padEnd(62)} p50 ${String(r.p50).padStart(7)}  p99 ${String(r.p99).padStart(7)}${r.failed ? `  (${r.failed} unanswered)` : ""}`,
  );
console.log(
  JSON.stringify({ bench: "dns", services: SERVICES, zoneBuildMs: round(buildMs), results: Object.fromEntries(rows) }),
);
await server.close();
