// Load for figures (never assertions): GETs `concurrency` at a time, each one's latency and the run's rate.
// Shared by the proxy e2e's printed figures and bench/streams.ts.
import http from "node:http";
import https from "node:https";
import { percentile } from "../../bench/stats.ts";

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Requests that failed or answered anything but 200. */
  failures: number;
}

/** `total` calls of `fn` (resolving to an HTTP status), `concurrency` at a time. */
export async function measure(fn: () => Promise<number>, total: number, concurrency: number): Promise<Figures> {
  const times: number[] = [];
  let failures = 0;
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < total) {
      started++;
      const t = performance.now();
      const status = await fn().catch(() => 0);
      times.push(performance.now() - t);
      if (status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - begin) / 1000;
  times.sort((a, b) => a - b);
  return { rps: total / seconds, p50: percentile(times, 50), p99: percentile(times, 99), failures };
}

/** A GET whose body is read and dropped; resolves to the status (http or https by the URL). */
export function getStatus(url: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<number> {
  const mod = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}
