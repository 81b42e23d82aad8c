import { spawn } from "node:child_process";
import { afterEach, expect, it } from "vitest";
import { firstExit, groupProcesses } from "./group-watch.ts";

const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {}
  }
});

it("finds a group's processes by name and reports the first to die", async () => {
  // A shell leading its own group with two sleeps in it, as wrangler leads workerd.
  const leader = spawn("sh", ["-c", "sleep 300 & sleep 301 & wait"], { detached: true, stdio: "ignore" });
  const pgid = leader.pid!;
  groups.push(pgid);
  let sleeps: number[] = [];
  for (let i = 0; i < 50 && sleeps.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    sleeps = groupProcesses(pgid, "sleep");
  }
  expect(sleeps).toHaveLength(2);
  expect(groupProcesses(pgid, "sh")).toEqual([pgid]);
  expect(groupProcesses(pgid, "workerd")).toEqual([]);
  const watch = firstExit(sleeps, 50);
  process.kill(sleeps[1], "SIGKILL");
  expect(await watch.exited).toBe(sleeps[1]);
});

it("watches nothing when there is nothing to watch", async () => {
  const watch = firstExit([], 10);
  const outcome = await Promise.race([watch.exited, new Promise((r) => setTimeout(() => r("still waiting"), 200))]);
  expect(outcome).toBe("still waiting");
});
