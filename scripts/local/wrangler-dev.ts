import path from "node:path";
import type { DevWorkerOptions } from "./dev-worker.ts";
import { type ExitInfo, spawnGroup } from "./process-group.ts";

export type { ExitInfo };

/** The dev worker's own options (root: the checkout with wrangler.toml and node_modules), and how we run it. */
export interface WranglerDevOptions extends DevWorkerOptions {
  /** Which local server runs the Worker (default: localServer(), FLOTILLA_SERVER or wrangler's). */
  server?: LocalServer;
  /** Only error lines reach the terminal; everything is still kept for error reports. */
  quiet: boolean;
  /** Where wrangler keeps state outside the worker's own: kept per home, not in ~/.config/.wrangler. */
  wranglerDirs?: WranglerDirs;
}

export interface WranglerDirs {
  /** The dev registry, per home so parallel test servers never see each other's workers. */
  registry: string;
  /** wrangler's debug log files. */
  logs: string;
}

/**
 * "wrangler": wrangler's dev server (scripts/local/dev-worker.ts), a proxy workerd in front of the user
 * workerd's entry socket. "miniflare": one workerd serving HTTPS on Miniflare's own entry socket
 * (scripts/local/miniflare-worker.ts), FLOTILLA_SERVER=miniflare: twice the no-op throughput here, but under
 * a create load a few POSTs stall until the connection drops (~30 s; bench/run.ts --compare-servers) in every
 * such run so far, so it is not the default yet. wrangler's path showed the same once, as its proxy's 503 "Your
 * worker restarted mid-request": likely the user workerd or the object resetting, which the proxy softens.
 */
export type LocalServer = "miniflare" | "wrangler";

export function localServer(env: NodeJS.ProcessEnv = process.env): LocalServer {
  const chosen = env.FLOTILLA_SERVER ?? "wrangler";
  if (chosen !== "miniflare" && chosen !== "wrangler")
    throw new Error(`FLOTILLA_SERVER must be "miniflare" or "wrangler", not ${JSON.stringify(chosen)}`);
  return chosen;
}

/** tsx runs the TypeScript dev-worker entry with the checkout's own toolchain. */
export function devWorkerCommand(root: string): string {
  return path.join(root, "node_modules", ".bin", "tsx");
}

/**
 * wrangler's dev server through its programmatic API (scripts/local/dev-worker.ts), which unlike
 * the `wrangler dev` CLI can turn the DevTools inspector off: with it on, wrangler's inspector
 * proxy costs several milliseconds of CPU on every request that reaches a Durable Object.
 */
export function devWorkerArgs(opts: WranglerDevOptions): string[] {
  const { root, ip, port, certPath, keyPath, persistTo, vars } = opts;
  const options: DevWorkerOptions = { root, ip, port, certPath, keyPath, persistTo, vars };
  const entry = (opts.server ?? localServer()) === "miniflare" ? "miniflare-worker.ts" : "dev-worker.ts";
  return [path.join(root, "scripts", "local", entry), JSON.stringify(options)];
}

/**
 * Quiet, offline, never opens a browser. Metrics, the cf-object fetch and the banner's npm update check
 * (skipped when the banner is hidden) would all reach the internet.
 */
export function wranglerDevEnv(base: NodeJS.ProcessEnv, dirs?: WranglerDirs): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    BROWSER: "none",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
  };
  if (dirs) {
    env.WRANGLER_REGISTRY_PATH = dirs.registry;
    env.WRANGLER_LOG_PATH = dirs.logs;
  }
  return env;
}

/** Lines worth showing even in quiet mode: wrangler marks errors with ✘ / [ERROR]; workerd prints "Uncaught". */
export function isErrorLine(line: string): boolean {
  return /✘|\[ERROR\]|\bUncaught\b|^\s*Error\b|\bERR_[A-Z_]+\b/.test(line);
}

export interface WranglerDevProcess {
  pid: number;
  /** Resolves when wrangler exits, for whatever reason. */
  exited: Promise<ExitInfo>;
  /**
   * Resolves with the line when a build fails. wrangler then waits for a file change instead of exiting,
   * so a start would otherwise only time out.
   */
  buildFailed: Promise<string>;
  /** The last lines wrangler printed (without colour codes), for error messages. */
  recentOutput(): string;
  /** SIGTERM to the whole process group (wrangler, esbuild, workerd), SIGKILL after a grace period. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

export function spawnWranglerDev(opts: WranglerDevOptions): WranglerDevProcess {
  let reportBuildFailure: (line: string) => void = () => {};
  const buildFailed = new Promise<string>((resolve) => {
    reportBuildFailure = resolve;
  });
  const group = spawnGroup({
    command: devWorkerCommand(opts.root),
    args: devWorkerArgs(opts),
    cwd: opts.root,
    env: wranglerDevEnv(process.env, opts.wranglerDirs),
    onLine: (line, plain) => {
      if (/Build failed/.test(plain)) reportBuildFailure(plain.trim());
      if (!opts.quiet) process.stdout.write(`[wrangler] ${line}\n`);
      else if (isErrorLine(plain)) process.stderr.write(`[wrangler] ${line}\n`);
    },
  });
  return {
    pid: group.pid,
    exited: group.exited,
    buildFailed,
    recentOutput: group.recentOutput,
    stop: (graceMs) => group.stop(graceMs),
  };
}
