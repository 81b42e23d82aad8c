// A child in its own process group, started and stopped as one: wrangler (with esbuild and workerd) and
// the local node agent. Output lines go to a callback and the last ones are kept for error reports.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { stripVTControlCharacters } from "node:util";
import { startOrphanWatchdog } from "./watchdog.ts";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GroupSpawnOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Every output line (stdout and stderr), with colour codes; `plain` without them. */
  onLine?: (line: string, plain: string) => void;
}

export interface ProcessGroup {
  pid: number;
  /** Resolves when the child exits, for whatever reason. */
  exited: Promise<ExitInfo>;
  /** The last lines the child printed (without colour codes). */
  recentOutput(): string;
  /** Sends a signal to the whole group; false when it is gone. */
  signal(signal: NodeJS.Signals): boolean;
  /** SIGTERM to the group, SIGKILL after the grace period (and to stragglers in any case). */
  stop(graceMs?: number): Promise<ExitInfo>;
}

const KEEP_LINES = 200;

export function spawnGroup(opts: GroupSpawnOptions): ProcessGroup {
  // detached: its own process group, so stop() reaches grandchildren and nothing lingers after us.
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start ${opts.command}`);
  const pid = child.pid;
  const recent: string[] = [];
  const onLine = (line: string) => {
    const plain = stripVTControlCharacters(line);
    recent.push(plain);
    if (recent.length > KEEP_LINES) recent.shift();
    opts.onLine?.(line, plain);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", onLine);
  }
  const exited = exitPromise(child);
  // Never leave the group behind: an exit handler covers process.exit(), the watchdog deaths by signal.
  const watchdog = startOrphanWatchdog(pid);
  const killOnExit = () => signalGroup(pid, "SIGKILL");
  process.on("exit", killOnExit);
  exited.then(() => {
    process.off("exit", killOnExit);
    signalGroup(pid, "SIGKILL"); // the leader is gone: nothing left in its group should outlive it
    watchdog.disarm();
  });
  return {
    pid,
    exited,
    recentOutput: () => recent.join("\n"),
    signal: (signal) => signalGroup(pid, signal),
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
  // The leader may exit before its children do; a final SIGKILL to the group catches stragglers either way.
  signalGroup(pid, "SIGKILL");
  return first === "timeout" ? exited : first;
}
