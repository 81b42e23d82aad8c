import { describe, expect, it } from "vitest";
import { cpuNanoCores, NodeUsageSampler, parseMeminfo, parseProcStat } from "./node-usage.ts";

const STAT = (user: number, idle: number) =>
  `cpu  ${user} 10 200 ${idle} 40 0 5 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345\nctxt 999\n`;

const MEMINFO = `MemTotal:        8000000 kB
MemFree:         2000000 kB
MemAvailable:    5000000 kB
Buffers:          100000 kB
Cached:          3000000 kB
Active(file):    1000000 kB
Inactive(file):  1500000 kB
`;

describe("parseProcStat", () => {
  it("counts idle and iowait as not busy", () => {
    expect(parseProcStat(STAT(1000, 5000))).toEqual({
      busy: 1000 + 10 + 200 + 5,
      total: 1000 + 10 + 200 + 5000 + 40 + 5,
    });
  });

  it.each(["", "intr 1 2 3\n", "cpu  a b c d\n"])("has nothing in %j", (text) => {
    expect(parseProcStat(text)).toBeUndefined();
  });
});

describe("parseMeminfo", () => {
  it("is total minus free minus inactive file pages", () => {
    expect(parseMeminfo(MEMINFO)).toBe((8000000 - 2000000 - 1500000) * 1024);
  });

  it("needs MemTotal and MemFree", () => {
    expect(parseMeminfo("MemTotal: 100 kB\n")).toBeUndefined();
  });
});

describe("cpuNanoCores", () => {
  it.each([
    // 150 busy ticks (1.5 s of CPU) over 1 s: one and a half cores
    [{ busy: 100, total: 0 }, { busy: 250, total: 0 }, 1, 1_500_000_000],
    [{ busy: 100, total: 0 }, { busy: 110, total: 0 }, 10, 10_000_000],
    [{ busy: 100, total: 0 }, { busy: 90, total: 0 }, 10, undefined],
    [{ busy: 100, total: 0 }, { busy: 110, total: 0 }, 0, undefined],
  ])("%j → %j over %d s", (before, after, seconds, expected) => {
    expect(cpuNanoCores(before, after, seconds)).toBe(expected);
  });
});

describe("NodeUsageSampler", () => {
  it("has a rate from the second reading on", async () => {
    let t = 0;
    let user = 1000;
    const files: Record<string, () => string> = {
      "/proc/stat": () => STAT(user, 5000),
      "/proc/meminfo": () => MEMINFO,
    };
    const sampler = new NodeUsageSampler(
      async (path) => files[path](),
      () => t,
    );
    expect(await sampler.sample()).toBeUndefined();
    t = 10_000;
    user += 500; // 5 s of CPU in 10 s
    expect(await sampler.sample()).toEqual({
      cpuNanoCores: 500_000_000,
      memoryBytes: (8000000 - 2000000 - 1500000) * 1024,
      windowSeconds: 10,
    });
  });

  it("has nothing when /proc cannot be read", async () => {
    const sampler = new NodeUsageSampler(async () => {
      throw new Error("ENOENT");
    });
    expect(await sampler.sample()).toBeUndefined();
    expect(await sampler.sample()).toBeUndefined();
  });
});
