import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-watchdog-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const watchdogModule = path.join(path.dirname(fileURLToPath(import.meta.url)), "watchdog.ts");

// A parent that starts a detached `sleep` group under the watchdog, prints the group id, then optionally disarms.
function fixture(disarm: boolean): string {
  const file = path.join(dir, `parent-${disarm}.mts`);
  fs.writeFileSync(
    file,
    `import { spawn } from "node:child_process";
import { startOrphanWatchdog } from ${JSON.stringify(watchdogModule)};
const sleeper = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
const dog = startOrphanWatchdog(sleeper.pid);
${disarm ? "dog.disarm();" : ""}
console.log(sleeper.pid);
setInterval(() => {}, 1000);
`,
  );
  return file;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runParentAndKillIt(disarm: boolean): Promise<number> {
  const parent = spawn(process.execPath, ["--import", "tsx", fixture(disarm)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim())));
    parent.once("exit", () => reject(new Error("fixture exited early")));
  });
  expect(alive(pid)).toBe(true);
  parent.kill("SIGKILL"); // no exit handlers run: only the watchdog can clean up
  return pid;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe("startOrphanWatchdog", () => {
  it("kills the group when its owner dies by SIGKILL", async () => {
    const pid = await runParentAndKillIt(false);
    expect(await waitUntil(() => !alive(pid), 8_000)).toBe(true);
  }, 15_000);

  it("leaves the group alone once disarmed", async () => {
    const pid = await runParentAndKillIt(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const survived = alive(pid);
    process.kill(-pid, "SIGKILL");
    expect(survived).toBe(true);
  }, 15_000);
});
