// The server under test: workerd (Miniflare's entry socket, or wrangler dev) on a temporary FLOTILLA_HOME and a free port,
// started through the same startFlotilla the e2e tests use, stopped on exit, errors and Ctrl-C.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ensureCertificates } from "../scripts/local/ca.ts";
import { findFreePort, type RunningFlotilla, startFlotilla } from "../scripts/local/flotilla.ts";
import { ensureHome } from "../scripts/local/home.ts";
import { httpsRequest } from "../scripts/local/https-client.ts";
import type { LocalServer } from "../scripts/local/wrangler-dev.ts";
import { snapshotSources } from "./snapshot.ts";

export interface StartTimings {
  /** Spawn to the first 200 from /healthz (includes bundling the worker). */
  startToHealthzMs: number;
  /** performance.now() of that first 200. */
  healthzAt: number;
}

export interface BenchServer {
  readonly home: string;
  readonly flotilla: RunningFlotilla;
  /**
   * Stops and starts again on the same home and port; `onHealthz` runs as soon as /healthz answers,
   * `whileStopped` between the stop and the start (e.g. writing to the stopped object's database).
   */
  restart(onHealthz?: () => void, whileStopped?: () => void): Promise<StartTimings>;
  timings: StartTimings;
  /** Stops wrangler and removes the home unless kept. Safe to call twice. */
  dispose(): Promise<void>;
}

const RESTART_ATTEMPTS = 20;

export interface ServerOptions {
  keep: boolean;
  /** Serve the checkout itself (live edits restart workerd) instead of a snapshot of it. */
  live: boolean;
  /** Which local server runs the Worker (default: FLOTILLA_SERVER, else wrangler's dev server). */
  server?: LocalServer;
  /** Serve a snapshot of this checkout instead of the current one (bench --baseline). */
  sources?: string;
}

export async function startBenchServer(opts: ServerOptions): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-bench-"));
  const home = path.join(dir, "home");
  const root = opts.live ? undefined : snapshotSources(dir, opts.sources);
  const port = await findFreePort();
  let flotilla: RunningFlotilla | undefined;
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await flotilla?.stop();
    if (opts.keep) console.error(`--keep: FLOTILLA_HOME kept at ${home}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping wrangler`);
    dispose().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const start = async (onHealthz?: () => void): Promise<StartTimings> => {
    // startFlotilla creates the CA too (idempotently); we need it first, to poll /healthz ourselves.
    const { caPem } = ensureCertificates(ensureHome(home));
    const startedAt = performance.now();
    const stop = { stopped: false };
    const healthz = pollHealthz(port, caPem, stop);
    healthz.then(() => onHealthz?.()).catch(() => {});
    try {
      flotilla = await startOnPort(home, port, root, opts.server);
    } catch (err) {
      stop.stopped = true;
      throw err;
    }
    const healthzAt = await healthz;
    return { startToHealthzMs: healthzAt - startedAt, healthzAt };
  };

  try {
    const timings = await start();
    return {
      home,
      get flotilla() {
        return flotilla!;
      },
      timings,
      restart: async (onHealthz, whileStopped) => {
        await flotilla!.stop();
        flotilla = undefined;
        whileStopped?.();
        return start(onHealthz);
      },
      dispose,
    };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** The old workerd may take a moment to release the port; only a busy port is retried. */
async function startOnPort(
  home: string,
  port: number,
  root: string | undefined,
  server: LocalServer | undefined,
): Promise<RunningFlotilla> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startFlotilla({ home, port, root, server, quiet: true, readyTimeoutMs: 240_000 });
    } catch (err) {
      if (attempt >= RESTART_ATTEMPTS || !/already in use/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Our own fine-grained /healthz poll (startFlotilla polls every 250 ms), so the moment the
 * Worker first answers is known to ~20 ms. Resolves with performance.now() of that answer.
 */
async function pollHealthz(port: number, caPem: string, stop: { stopped: boolean }): Promise<number> {
  const url = `https://127.0.0.1:${port}/healthz`;
  while (!stop.stopped) {
    try {
      const res = await httpsRequest(url, { timeoutMs: 2_000, ca: caPem });
      if (res.status === 200) return performance.now();
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("start failed before /healthz answered");
}
