import { spawn } from "node:child_process";
import type { Socket } from "node:net";

// Runs in a separate plain-node process (no TypeScript loader there). It holds the read end of a pipe from
// us; when we die in any way (SIGKILL, an unhandled signal, a test runner killing its worker), the pipe
// closes and it takes the process group down with it. Exit handlers alone do not run on signal deaths.
const WATCHDOG_SOURCE = `
const pgid = Number(process.argv[1]);
const kill = (sig) => { try { process.kill(-pgid, sig); } catch {} };
process.on("SIGTERM", () => {});
process.on("SIGINT", () => {});
process.stdin.on("data", () => {});
process.stdin.on("end", () => {
  kill("SIGTERM");
  setTimeout(() => { kill("SIGKILL"); process.exit(0); }, 3000);
});
`;

export interface OrphanWatchdog {
  /** The orderly path: we stop the group ourselves, so the watchdog just goes away. */
  disarm(): void;
}

/** Kills process group `pgid` if this process dies without calling disarm(). */
export function startOrphanWatchdog(pgid: number): OrphanWatchdog {
  const watchdog = spawn(process.execPath, ["-e", WATCHDOG_SOURCE, String(pgid)], {
    // Its own group: a Ctrl-C to our terminal's foreground group must not reach it before it is needed.
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  watchdog.on("error", () => {}); // best effort: without it we still have exit handlers and stop()
  watchdog.stdin?.on("error", () => {});
  // Neither the process nor its pipe may keep our event loop alive.
  watchdog.unref();
  // A child's pipe is a net.Socket at runtime, though typed as a plain Writable.
  (watchdog.stdin as Socket | null)?.unref();
  return {
    disarm: () => {
      if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill("SIGKILL");
    },
  };
}
