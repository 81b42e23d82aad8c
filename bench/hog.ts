// A CPU hog for benchmarks (issue 22's "no collapse under load"): a child process spinning on one core
// for as long as the benchmark runs, so a collapse under CPU contention is reproducible in one command.
import { type ChildProcess, spawn } from "node:child_process";
import { cpuMs } from "./procs.ts";

export interface Hog {
  /** The hog's CPU time so far (ms), to show it really took its core. */
  cpuMs(): number;
  stop(): void;
}

/** Starts a busy loop in a child Node process; stop() kills it (it is also killed if this process exits). */
export function startHog(): Hog {
  const child: ChildProcess = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  return {
    cpuMs: () => (child.pid ? cpuMs([child.pid]) : 0),
    stop: () => {
      process.off("exit", kill);
      kill();
    },
  };
}
