// Local D1: before the dev server starts, `wrangler d1 migrations apply DB --local` on the home's
// state directory — the same command and migration files `npm run deploy` applies remotely, so
// local and deployed schemas never drift. A marker file skips the (few seconds') wrangler run when
// nothing changed since the last start.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { readIfExists } from "./home.ts";
import { type WranglerDirs, wranglerDevEnv } from "./wrangler-dev.ts";

export const D1_MIGRATIONS_DIR = path.join("migrations", "d1");
const MARKER = "d1-migrations-applied.json";

/** The migration files wrangler would apply, in order. */
export function migrationNames(root: string): string[] {
  return fs
    .readdirSync(path.join(root, D1_MIGRATIONS_DIR))
    .filter((name) => name.endsWith(".sql"))
    .sort();
}

export function wranglerMigrateArgs(persistTo: string): string[] {
  return ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo];
}

export async function applyLocalD1Migrations(opts: {
  root: string;
  persistTo: string;
  wranglerDirs?: WranglerDirs;
  signal?: AbortSignal;
}): Promise<void> {
  const names = migrationNames(opts.root);
  const marker = path.join(opts.persistTo, MARKER);
  if (readIfExists(marker) === JSON.stringify(names)) return;
  const wrangler = path.join(opts.root, "node_modules", ".bin", "wrangler");
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(wrangler, wranglerMigrateArgs(opts.persistTo), {
      cwd: opts.root,
      env: { ...wranglerDevEnv(process.env, opts.wranglerDirs), CI: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      signal: opts.signal,
    });
    child.stdout.on("data", (chunk) => output.push(String(chunk)));
    child.stderr.on("data", (chunk) => output.push(String(chunk)));
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0)
    throw new Error(`wrangler d1 migrations apply failed (exit ${code}):\n${output.join("").slice(-2000)}`);
  fs.writeFileSync(marker, JSON.stringify(names));
}
