// Watching the processes of a process group from outside: wrangler's dev server keeps running (and its
// proxy holds every request, silently) when the workerd it started dies, so `npm start` watches workerd
// itself. Linux /proc; elsewhere nothing is found and nothing is watched.
import fs from "node:fs";

interface ProcStat {
  name: string;
  state: string;
  pgid: number;
}

/** /proc/<pid>/stat's command name, state and process group, or undefined when the process is gone. */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split at its last ")".
  const close = text.lastIndexOf(")");
  const [state, , pgid] = text.slice(close + 2).split(" ");
  return { name: text.slice(text.indexOf("(") + 1, close), state, pgid: Number(pgid) };
}

/** Pids of the processes of group `pgid` whose command name is `name`. */
export function groupProcesses(pgid: number, name: string): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      const stat = procStat(pid);
      return stat?.pgid === pgid && stat.name === name && stat.state !== "Z";
    });
}

/** A zombie has exited; only its parent has not collected it yet. */
const alive = (pid: number) => {
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== "Z";
};

/** Resolves with the first of `pids` to exit, checking every `intervalMs`; never when `pids` is empty. */
export function firstExit(pids: number[], intervalMs = 500): { exited: Promise<number>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<number>((resolve) => {
    if (pids.length === 0) return;
    timer = setInterval(() => {
      const gone = pids.find((pid) => !alive(pid));
      if (gone === undefined) return;
      clearInterval(timer);
      resolve(gone);
    }, intervalMs);
    timer.unref();
  });
  return { exited, cancel: () => clearInterval(timer) };
}
