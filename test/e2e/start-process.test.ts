// `npm start` as a user runs it: when workerd dies under it, it says so and exits instead of lingering
// with a server that holds every request.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { findFreePort } from "../../scripts/local/flotilla.ts";
import { repoRoot } from "../../scripts/local/home.ts";

const home = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-e2e-start-"));
let pgid: number | undefined;

afterAll(() => {
  if (pgid !== undefined)
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {}
  fs.rmSync(home, { recursive: true, force: true });
});

it("reports a dead workerd and exits 1", async () => {
  const port = await findFreePort();
  const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    cwd: repoRoot,
    env: { ...process.env, FLOTILLA_HOME: home, PORT: String(port), FLOTILLA_QUIET: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  pgid = child.pid;
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  for (let i = 0; i < 240 && !output.includes("Press Ctrl-C to stop."); i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
  }
  expect(output).toContain("Flotilla is running");
  const workerd = pidsUnder(child.pid!).filter((pid) => read(`/proc/${pid}/comm`).trim() === "workerd");
  expect(workerd.length).toBeGreaterThan(0);
  process.kill(workerd[workerd.length - 1], "SIGKILL");
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 15_000))]);
  expect(code, output).toBe(1);
  expect(output).toMatch(/workerd \(pid \d+\) exited on its own: Flotilla cannot serve without it\. Stopping\./);
}, 180_000);

const read = (file: string) => {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
};

/** Every live process descending from `ancestor`. */
function pidsUnder(ancestor: number): number[] {
  const parent = (pid: number) => Number(read(`/proc/${pid}/stat`).split(") ")[1]?.split(" ")[1] ?? 0);
  const pids = fs
    .readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
  return pids.filter((pid) => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parent(p), hops++) if (p === ancestor) return true;
    return false;
  });
}
