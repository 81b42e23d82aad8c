// Counts the events of a watch stream as they arrive, and when the last one came.
import type { IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";

export interface WatchCounter {
  counts: Record<string, number>;
  /** performance.now() when the latest event line arrived (0 before any). */
  lastEventAt: number;
  /** Resolves once `n` ADDED events have arrived (or rejects if the stream ends first). */
  addedReached(n: number, timeoutMs: number): Promise<void>;
  close(): void;
}

export function countEvents(res: IncomingMessage): WatchCounter {
  const counts: Record<string, number> = {};
  let buffered = "";
  let ended = false;
  let waiter: { n: number; resolve: () => void; reject: (e: Error) => void } | null = null;
  const counter: WatchCounter = {
    counts,
    lastEventAt: 0,
    addedReached: (n, timeoutMs) =>
      new Promise((resolve, reject) => {
        if ((counts.ADDED ?? 0) >= n) return resolve();
        if (ended) return reject(new Error(`watch ended after ${counts.ADDED ?? 0} ADDED events`));
        const timer = setTimeout(() => reject(new Error(`only ${counts.ADDED ?? 0} of ${n} ADDED events`)), timeoutMs);
        waiter = {
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
      }),
    close: () => res.destroy(),
  };
  res.setEncoding("utf8");
  res.on("data", (chunk: string) => {
    buffered += chunk;
    let from = 0;
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n", from)) {
      const line = buffered.slice(from, nl);
      from = nl + 1;
      // The type is the first field the server writes; no need to parse the whole object.
      const type = /^\{"type":"([A-Z]+)"/.exec(line)?.[1] ?? (JSON.parse(line) as { type: string }).type;
      counts[type] = (counts[type] ?? 0) + 1;
      counter.lastEventAt = performance.now();
    }
    buffered = buffered.slice(from);
    if (waiter && (counts.ADDED ?? 0) >= waiter.n) waiter.resolve();
  });
  const onEnd = () => {
    ended = true;
    waiter?.reject(new Error(`watch ended after ${counts.ADDED ?? 0} ADDED events`));
  };
  res.on("end", onEnd);
  res.on("error", onEnd);
  return counter;
}
