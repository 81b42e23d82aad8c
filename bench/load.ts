// Closed-loop load: `concurrency` clients, each sending its next request as soon as the last
// one answered, until `total` requests are done. Every request's latency is kept.
import { performance } from "node:perf_hooks";
import type { BenchResponse } from "./http.ts";

export interface LoadResult {
  total: number;
  wallMs: number;
  perSecond: number;
  latenciesMs: number[];
  /** When the last response finished (performance.now()), e.g. for watch lag. */
  lastResponseAt: number;
}

export async function runLoad(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<BenchResponse>,
  check: (res: BenchResponse, i: number) => void,
): Promise<LoadResult> {
  const latenciesMs: number[] = new Array(total);
  let next = 0;
  let lastResponseAt = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const res = await send(i);
      check(res, i);
      latenciesMs[i] = res.elapsedMs;
      lastResponseAt = performance.now();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  const wallMs = performance.now() - started;
  return { total, wallMs, perSecond: (total / wallMs) * 1000, latenciesMs, lastResponseAt };
}
