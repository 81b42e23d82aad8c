// Container usage from the Engine API's stats (GET /containers/{id}/stats?stream=false), reduced to what
// metrics-server reports: CPU as a rate of the cumulative usage between two samples, memory as the working
// set (usage minus inactive file pages, as cadvisor counts it). Docker fills precpu_stats with a sample
// about a second earlier; Podman 4.3 leaves it empty and omits memory_stats.stats, so the rate comes from
// our own previous sample of the same container when there is one.

/** The parts of a stats document we read; every field may be missing (Podman leaves several out). */
export interface EngineStats {
  read?: string;
  preread?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  precpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number | undefined> };
}

/** One reading of a container: cumulative CPU nanoseconds at a time, and the memory working set. */
export interface StatsSample {
  readMs: number;
  cpuTotalNs: number;
  memoryWorkingSetBytes: number;
  /** Docker's own earlier reading (precpu_stats), when it carries one. */
  previous?: { readMs: number; cpuTotalNs: number };
}

export interface ContainerRate {
  cpuNanoCores: number;
  memoryBytes: number;
  windowSeconds: number;
}

/** Go's zero time ("0001-01-01T00:00:00Z") and unparsable text mean "no reading". */
function readTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Working set: usage minus inactive_file (cgroup v2) or total_inactive_file (cgroup v1), never below 0. */
export function workingSet(memory: EngineStats["memory_stats"]): number {
  const usage = memory?.usage ?? 0;
  const stats = memory?.stats ?? {};
  const inactive = stats.inactive_file ?? stats.total_inactive_file ?? 0;
  return Math.max(0, usage - inactive);
}

/** The sample a stats document holds, or undefined when it has no reading (a stopped container). */
export function parseStats(doc: EngineStats): StatsSample | undefined {
  const readMs = readTime(doc.read);
  const cpuTotalNs = doc.cpu_stats?.cpu_usage?.total_usage;
  if (readMs === undefined || typeof cpuTotalNs !== "number") return undefined;
  const sample: StatsSample = { readMs, cpuTotalNs, memoryWorkingSetBytes: workingSet(doc.memory_stats) };
  const prereadMs = readTime(doc.preread);
  const preCpu = doc.precpu_stats?.cpu_usage?.total_usage;
  if (prereadMs !== undefined && prereadMs < readMs && typeof preCpu === "number" && preCpu > 0)
    sample.previous = { readMs: prereadMs, cpuTotalNs: preCpu };
  return sample;
}

/**
 * The usage between `earlier` (our previous sample of the container, preferred: its window matches the
 * reporting interval) or Docker's precpu reading, and `sample`. Undefined without a usable earlier reading
 * or when the counter went backwards (the container restarted): metrics-server also skips those.
 */
export function containerRate(sample: StatsSample, earlier?: StatsSample): ContainerRate | undefined {
  const before = earlier && earlier.readMs < sample.readMs ? earlier : sample.previous;
  if (!before) return undefined;
  const seconds = (sample.readMs - before.readMs) / 1000;
  const used = sample.cpuTotalNs - before.cpuTotalNs;
  if (seconds <= 0 || used < 0) return undefined;
  return {
    cpuNanoCores: Math.round(used / seconds),
    memoryBytes: sample.memoryWorkingSetBytes,
    windowSeconds: seconds,
  };
}
