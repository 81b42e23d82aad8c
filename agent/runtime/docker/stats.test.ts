import { describe, expect, it } from "vitest";
import { containerRate, type EngineStats, parseStats, workingSet } from "./stats.ts";

// Captured from Podman 4.3.1's compat API (a busy-looping busybox): no preread, empty precpu, no memory stats.
const PODMAN: EngineStats = JSON.parse(`{
  "read": "2026-11-25T01:36:00.945095474Z",
  "preread": "0001-01-01T00:00:00Z",
  "pids_stats": { "current": 1 },
  "cpu_stats": {
    "cpu_usage": { "total_usage": 2093985149, "percpu_usage": [2911363, 2091073786],
      "usage_in_kernelmode": 8000000, "usage_in_usermode": 2085985149 },
    "system_cpu_usage": 13511633939271, "online_cpus": 2, "cpu": 0,
    "throttling_data": { "periods": 0, "throttled_periods": 0, "throttled_time": 0 }
  },
  "precpu_stats": {
    "cpu_usage": { "total_usage": 0, "usage_in_kernelmode": 0, "usage_in_usermode": 0 },
    "cpu": 0, "throttling_data": { "periods": 0, "throttled_periods": 0, "throttled_time": 0 }
  },
  "memory_stats": { "usage": 1687552, "limit": 25276063744 },
  "name": "h4stats"
}`);

// The shape Docker 24 returns on cgroup v2 (stream=false): precpu about a second earlier, memory stats
// with inactive_file.
const DOCKER: EngineStats = JSON.parse(`{
  "read": "2026-11-25T01:40:02.51234Z",
  "preread": "2026-11-25T01:40:01.50711Z",
  "cpu_stats": { "cpu_usage": { "total_usage": 7350000000, "usage_in_kernelmode": 50000000,
    "usage_in_usermode": 7300000000 }, "system_cpu_usage": 2000000000000, "online_cpus": 2 },
  "precpu_stats": { "cpu_usage": { "total_usage": 7100000000 }, "system_cpu_usage": 1998000000000, "online_cpus": 2 },
  "memory_stats": { "usage": 10485760, "limit": 8589934592,
    "stats": { "anon": 6291456, "file": 4194304, "active_file": 1048576, "inactive_file": 3145728 } }
}`);

describe("parseStats", () => {
  it("reads Podman's sample: cumulative CPU, usage as working set, no earlier reading", () => {
    expect(parseStats(PODMAN)).toEqual({
      readMs: Date.parse("2026-11-25T01:36:00.945Z"),
      cpuTotalNs: 2093985149,
      memoryWorkingSetBytes: 1687552,
    });
  });

  it("reads Docker's sample with its precpu reading and subtracts inactive_file", () => {
    const sample = parseStats(DOCKER);
    expect(sample?.memoryWorkingSetBytes).toBe(10485760 - 3145728);
    expect(sample?.previous).toEqual({ readMs: Date.parse("2026-11-25T01:40:01.507Z"), cpuTotalNs: 7100000000 });
  });

  it.each<[string, EngineStats]>([
    ["no read time", { cpu_stats: { cpu_usage: { total_usage: 5 } } }],
    ["Go's zero read time", { read: "0001-01-01T00:00:00Z", cpu_stats: { cpu_usage: { total_usage: 5 } } }],
    ["no cpu usage", { read: "2026-11-25T01:40:02Z", cpu_stats: {} }],
  ])("has no sample with %s", (_, doc) => {
    expect(parseStats(doc)).toBeUndefined();
  });
});

describe("workingSet", () => {
  it.each([
    [{ usage: 1000, stats: { total_inactive_file: 300 } }, 700],
    [{ usage: 1000, stats: { inactive_file: 200, total_inactive_file: 300 } }, 800],
    [{ usage: 100, stats: { inactive_file: 300 } }, 0],
    [undefined, 0],
  ])("%j → %d", (memory, expected) => {
    expect(workingSet(memory)).toBe(expected);
  });
});

describe("containerRate", () => {
  it("uses Docker's precpu reading when there is no earlier sample of our own", () => {
    const rate = containerRate(parseStats(DOCKER)!);
    // 250 ms of CPU over 1.005 s
    expect(rate?.windowSeconds).toBeCloseTo(1.005, 3);
    expect(rate?.cpuNanoCores).toBe(Math.round(250_000_000 / 1.005));
  });

  it("prefers our previous sample (its window is the reporting interval)", () => {
    const now = parseStats(PODMAN)!;
    const earlier = {
      readMs: now.readMs - 10_000,
      cpuTotalNs: now.cpuTotalNs - 5_000_000_000,
      memoryWorkingSetBytes: 1,
    };
    expect(containerRate(now, earlier)).toEqual({ cpuNanoCores: 500_000_000, memoryBytes: 1687552, windowSeconds: 10 });
  });

  it("has no rate from a single Podman sample, nor after a restart reset the counter", () => {
    const now = parseStats(PODMAN)!;
    expect(containerRate(now)).toBeUndefined();
    const restarted = { ...now, readMs: now.readMs + 10_000, cpuTotalNs: 1000 };
    expect(containerRate(restarted, now)).toBeUndefined();
  });
});
