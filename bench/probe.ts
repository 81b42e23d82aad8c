// A diagnostic beside a benchmark (BENCH_PROBE=1): once a second, three GETs on fresh connections — the
// Worker alone (/healthz), the cluster object without the store (/version) and a store read (the default
// namespace) — each left running however long it takes, so a stall shows which hop holds a request.
import https from "node:https";
import { performance } from "node:perf_hooks";

export interface ProbeTarget {
  url: string;
  clusterUrl: string;
  adminToken: string;
  caPem: string;
}

interface Sample {
  name: string;
  at: number;
  ms: number;
  status: number | string;
}

const SLOW_MS = 3000;

export function startProbe(f: ProbeTarget, log: (line: string) => void): { stop(): string } {
  const started = performance.now();
  const samples: Sample[] = [];
  const open = new Map<number, { name: string; at: number }>();
  let next = 0;
  const keepAlive = new https.Agent({ keepAlive: true, maxSockets: 4, ca: f.caPem });
  const targets = [
    { name: "worker /healthz", url: `${f.url}/healthz`, auth: false },
    { name: "object /version", url: `${f.clusterUrl}/version`, auth: true },
    { name: "store namespace", url: `${f.clusterUrl}/api/v1/namespaces/default`, auth: true },
    { name: "kept-alive namespace", url: `${f.clusterUrl}/api/v1/namespaces/default`, auth: true, agent: keepAlive },
  ];
  const fire = (name: string, url: string, auth: boolean, agent?: https.Agent) => {
    const id = next++;
    const at = performance.now();
    open.set(id, { name, at });
    const done = (status: number | string) => {
      open.delete(id);
      const ms = performance.now() - at;
      samples.push({ name, at: at - started, ms, status });
      if (ms > SLOW_MS)
        log(`probe: ${name} sent at ${((at - started) / 1000).toFixed(1)} s took ${ms.toFixed(0)} ms (${status})`);
    };
    const req = https.get(
      url,
      { agent: agent ?? false, ca: f.caPem, headers: auth ? { authorization: `Bearer ${f.adminToken}` } : {} },
      (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode ?? 0));
        res.on("error", (e) => done(e.message));
      },
    );
    req.setTimeout(180_000, () => req.destroy(new Error("timeout")));
    req.on("error", (e) => done(e.message));
  };
  const timer = setInterval(() => {
    for (const t of targets) fire(t.name, t.url, t.auth, t.agent);
    const stuck = [...open.values()].filter((o) => performance.now() - o.at > SLOW_MS);
    if (stuck.length) {
      const byName = new Map<string, number>();
      for (const s of stuck) byName.set(s.name, (byName.get(s.name) ?? 0) + 1);
      log(`probe: waiting > ${SLOW_MS} ms: ${[...byName].map(([n, c]) => `${n} ×${c}`).join(", ")}`);
    }
  }, 1000);
  return {
    stop() {
      clearInterval(timer);
      keepAlive.destroy();
      return targets
        .map((t) => {
          const ms = samples
            .filter((s) => s.name === t.name)
            .map((s) => s.ms)
            .sort((a, b) => a - b);
          const q = (p: number) =>
            ms.length ? ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(0) : "-";
          return `${t.name}: ${ms.length} answered, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms; ${[...open.values()].filter((o) => o.name === t.name).length} unanswered`;
        })
        .join("\n");
    },
  };
}
