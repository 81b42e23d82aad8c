// Where workerd's CPU goes during a benchmark phase: the V8 sampling profiler of the user worker, driven
// over the DevTools protocol. The dev worker opens its inspector only when FLOTILLA_INSPECTOR_PORT is
// set (scripts/local/dev-worker.ts); set it before starting the bench server, then wrap a phase in
// start()/stop(). Native time (SQLite, crypto, the runtime's HTTP) shows as the JS frame that called it.
import fs from "node:fs";
import { createRequire } from "node:module";

/** The little of the `ws` client used here (the package ships no types; wrangler's inspector proxy refuses undici's handshake). */
interface Socket {
  on(event: "message", listener: (data: unknown) => void): void;
  once(event: "open" | "error", listener: (arg?: unknown) => void): Socket;
  send(text: string): void;
  close(): void;
}
const { WebSocket } = createRequire(import.meta.url)("ws") as { WebSocket: new (url: string) => Socket };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const SAMPLE_US = 200;
const MAX_SAMPLE_US = 4 * SAMPLE_US;

export const INSPECTOR_PORT_ENV = "FLOTILLA_INSPECTOR_PORT";

async function debuggerUrl(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/json`);
  const targets = (await res.json()) as { webSocketDebuggerUrl?: string; title?: string; id?: string }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl);
  if (!target?.webSocketDebuggerUrl) throw new Error(`no debuggable target on port ${port}`);
  return target.webSocketDebuggerUrl;
}

export class CpuProfiler {
  #ws: Socket;
  #next = 1;
  #pending = new Map<number, (result: unknown) => void>();

  private constructor(ws: Socket) {
    this.#ws = ws;
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.#pending.get(msg.id)?.(msg.result);
    });
  }

  static async connect(port: number): Promise<CpuProfiler> {
    const ws = new WebSocket(await debuggerUrl(port));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return new CpuProfiler(ws);
  }

  #send(method: string, params: object = {}): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async start(intervalUs = SAMPLE_US): Promise<void> {
    await this.#send("Profiler.enable");
    await this.#send("Profiler.setSamplingInterval", { interval: intervalUs });
    await this.#send("Profiler.start");
  }

  async stop(file?: string): Promise<Profile> {
    const { profile } = (await this.#send("Profiler.stop")) as { profile: Profile };
    if (file) fs.writeFileSync(file, JSON.stringify(profile));
    return profile;
  }

  close(): void {
    this.#ws.close();
  }
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
};

/**
 * Time per function (ms), the heaviest first: `self` counts samples in the function itself, `total` also
 * its callees (a recursive function is counted once per sample). `(idle)` is included for scale.
 */
export function functionTimes(profile: Profile, top = 25, by: "self" | "total" = "self"): { fn: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A gap (the isolate not running, so not sampled) would be charged to the sample before it.
    const ms = Math.min(deltas[i + 1] ?? 0, MAX_SAMPLE_US) / 1000;
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = by === "total" ? parent.get(id) : undefined) {
      const node = byId.get(id);
      if (!node) break;
      const fn = label(node);
      if (!seen.has(fn)) totals.set(fn, (totals.get(fn) ?? 0) + ms);
      seen.add(fn);
    }
  }
  return [...totals.entries()]
    .map(([fn, ms]) => ({ fn, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

/** Prints both views of a profile, for a phase of `operations` requests. */
export function printProfile(profile: Profile, operations: number, top = 25): void {
  for (const by of ["self", "total"] as const) {
    console.log(`\nCPU profile, ${by} time (ms per operation, ${operations} operations):`);
    for (const { fn, ms } of functionTimes(profile, top, by))
      console.log(`  ${(ms / operations).toFixed(3).padStart(8)}  ${fn}`);
  }
}
