// The workerd processes serving this benchmark, found from /proc as descendants of this
// process (we spawn wrangler, wrangler spawns workerd), and their RSS and CPU time.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces; fields after the last ")" are fixed.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const rest = stat.slice(close + 2).split(" ");
    return { pid, ppid: Number(rest[1]), comm };
  } catch {
    return undefined; // gone in between
  }
}

/** Pids of all descendants of `root` whose command name is `comm`. */
export function descendantsNamed(root: number, comm: string): number[] {
  const all: ProcInfo[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(Number(name));
    if (info) all.push(info);
  }
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (child.comm === comm) found.push(child.pid);
      queue.push(child.pid);
    }
  }
  return found;
}

export function workerdPids(): number[] {
  return descendantsNamed(process.pid, "workerd");
}

/** VmRSS in bytes, summed over the pids. */
export function rssBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    const status = readOrEmpty(`/proc/${pid}/status`);
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (kb) total += Number(kb[1]) * 1024;
  }
  return total;
}

/** User + system CPU time in ms, summed over the pids (all threads). */
export function cpuMs(pids: readonly number[]): number {
  const ticksPerSecond = 100; // USER_HZ is 100 on Linux for every architecture we run on
  let ticks = 0;
  for (const pid of pids) {
    const stat = readOrEmpty(`/proc/${pid}/stat`);
    if (!stat) continue;
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14 and 15)
  }
  return (ticks / ticksPerSecond) * 1000;
}

/** CPU time of this (client) process, ms. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A process may exit between listing and reading (wrangler starts short-lived helpers). */
function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

export interface WorkerdPids {
  /** wrangler's proxy: terminates TLS on our port and forwards to the user worker. */
  proxy: number[];
  /** The user worker: the Worker, the asset router and the cluster Durable Object. */
  user: number[];
  /** wrangler's own node processes (it logs every request it relays) and esbuild. */
  tooling: number[];
}

/**
 * wrangler dev runs two workerds; the proxy is the one listening on the public port. The Miniflare server
 * (scripts/local/miniflare-worker.ts) runs one, listening there itself: no proxy.
 */
export function workerdByRole(port: number, root = process.pid): WorkerdPids {
  const roles: WorkerdPids = {
    proxy: [],
    user: [],
    tooling: [...descendantsNamed(root, "node"), ...descendantsNamed(root, "esbuild")],
  };
  const pids = descendantsNamed(root, "workerd");
  if (pids.length === 1) return { ...roles, user: pids };
  for (const pid of pids) {
    const args = readOrEmpty(`/proc/${pid}/cmdline`).split("\0");
    (args.includes(`--socket-addr=entry=127.0.0.1:${port}`) ? roles.proxy : roles.user).push(pid);
  }
  return roles;
}

/** TCP ports the process listens on (from `ss`, which maps sockets to pids). */
export function listeningPorts(pid: number): number[] {
  const out = spawnSync("ss", ["-tlnpH"], { encoding: "utf8" }).stdout ?? "";
  return out
    .split("\n")
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => Number(/:(\d+)\s/.exec(line.split(/\s+/)[3] + " ")?.[1]))
    .filter((port) => Number.isInteger(port) && port > 0);
}
