// The node's own usage from /proc, as metrics-server reports it for a node: CPU as a rate of the busy
// time between two readings of /proc/stat, memory as the working set (the root cgroup's usage minus
// inactive file pages; from /proc/meminfo: total − free − Inactive(file)).
import { readFile } from "node:fs/promises";

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuTimes {
  /** Ticks spent doing work (everything except idle and iowait). */
  busy: number;
  total: number;
}

export interface NodeUsage {
  cpuNanoCores: number;
  memoryBytes: number;
  windowSeconds: number;
}

/** The aggregate "cpu" line of /proc/stat, or undefined when absent. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split("\n").find((l) => /^cpu\s/.test(l));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Working-set bytes from /proc/meminfo, or undefined when MemTotal or MemFree is missing. */
export function parseMeminfo(text: string): number | undefined {
  const kib = (key: string) => {
    const match = new RegExp(`^${key.replace(/[()]/g, "\\$&")}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const total = kib("MemTotal");
  const free = kib("MemFree");
  if (total === undefined || free === undefined) return undefined;
  return Math.max(0, total - free - (kib("Inactive(file)") ?? 0));
}

/** Busy ticks between two readings as nanocores over the wall-clock interval. */
export function cpuNanoCores(before: CpuTimes, after: CpuTimes, seconds: number): number | undefined {
  const busy = after.busy - before.busy;
  if (seconds <= 0 || busy < 0) return undefined;
  return Math.round(((busy / TICKS_PER_SECOND) * 1e9) / seconds);
}

/** Reads /proc on each call; the first call has no rate yet (undefined). */
export class NodeUsageSampler {
  #last?: { at: number; cpu: CpuTimes };

  constructor(
    private readonly read: (path: string) => Promise<string> = (path) => readFile(path, "utf8"),
    private readonly now: () => number = Date.now,
  ) {}

  async sample(): Promise<NodeUsage | undefined> {
    const [stat, meminfo] = await Promise.all([this.read("/proc/stat"), this.read("/proc/meminfo")]).catch(() => []);
    const at = this.now();
    const cpu = stat === undefined ? undefined : parseProcStat(stat);
    const memory = meminfo === undefined ? undefined : parseMeminfo(meminfo);
    const last = this.#last;
    if (cpu) this.#last = { at, cpu };
    if (!cpu || !last || memory === undefined) return undefined;
    const seconds = (at - last.at) / 1000;
    const nanos = cpuNanoCores(last.cpu, cpu, seconds);
    return nanos === undefined ? undefined : { cpuNanoCores: nanos, memoryBytes: memory, windowSeconds: seconds };
  }
}
