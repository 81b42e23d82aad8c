import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { stripVTControlCharacters } from "node:util";
import type { DevWorkerOptions } from "./dev-worker.ts";
import { startOrphanWatchdog } from "./watchdog.ts";

/** The dev worker's own options (root: the checkout with wrangler.toml and node_modules), and how we run it. */
export interface WranglerDevOptions extends DevWorkerOptions {
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
  return [path.join(root, "scripts", "local", "dev-worker.ts"), JSON.stringify(options)];
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

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
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

const KEEP_LINES = 200;

export function spawnWranglerDev(opts: WranglerDevOptions): WranglerDevProcess {
  // detached: its own process group, so stop() can reach workerd and nothing lingers after us.
  const child = spawn(devWorkerCommand(opts.root), devWorkerArgs(opts), {
    cwd: opts.root,
    env: wranglerDevEnv(process.env, opts.wranglerDirs),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start ${devWorkerCommand(opts.root)}`);
  const pid = child.pid;
  const recent: string[] = [];
  let reportBuildFailure: (line: string) => void = () => {};
  const buildFailed = new Promise<string>((resolve) => {
    reportBuildFailure = resolve;
  });
  const onLine = (line: string) => {
    const plain = stripVTControlCharacters(line);
    recent.push(plain);
    if (/Build failed/.test(plain)) reportBuildFailure(plain.trim());
    if (recent.length > KEEP_LINES) recent.shift();
    if (!opts.quiet) process.stdout.write(`[wrangler] ${line}\n`);
    else if (isErrorLine(plain)) process.stderr.write(`[wrangler] ${line}\n`);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", onLine);
  }
  const exited = exitPromise(child);
  // Never leave a workerd behind holding the port: an exit handler covers process.exit(), the watchdog
  // covers deaths by signal.
  const watchdog = startOrphanWatchdog(pid);
  const killOnExit = () => signalGroup(pid, "SIGKILL");
  process.on("exit", killOnExit);
  exited.then(() => {
    process.off("exit", killOnExit);
    signalGroup(pid, "SIGKILL"); // wrangler is gone: nothing left in its group should outlive it
    watchdog.disarm();
  });

  return {
    pid,
    exited,
    buildFailed,
    recentOutput: () => recent.join("\n"),
    stop: async (graceMs = 5_000) => {
      watchdog.disarm();
      return stopGroup(pid, exited, graceMs);
    },
  };
}

function exitPromise(child: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
    child.on("error", () => resolve({ code: child.exitCode ?? 127, signal: null }));
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // group already gone
  }
}

async function stopGroup(pid: number, exited: Promise<ExitInfo>, graceMs: number): Promise<ExitInfo> {
  signalGroup(pid, "SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), graceMs);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  // wrangler may exit before workerd does; a final SIGKILL to the group catches stragglers either way.
  signalGroup(pid, "SIGKILL");
  return first === "timeout" ? exited : first;
}
