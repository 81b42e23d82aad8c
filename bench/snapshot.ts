// A copy of the Worker's sources for wrangler dev to serve. wrangler dev watches its sources
// and restarts workerd when a file changes, and several people edit this checkout at once:
// serving a snapshot keeps one consistent build (and one object in memory) for the whole run.
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../scripts/local/home.ts";

/** What the Worker's build reads: wrangler.toml, its imports, the SQL migrations, the static assets. */
const ENTRIES = [
  "wrangler.toml",
  "package.json",
  "tsconfig.json",
  "worker",
  "durable-objects",
  "kube",
  "migrations",
  "web",
  "scripts",
];

/**
 * Copies the sources into `<dir>/src` (node_modules linked, not copied) and returns that root. `from`: another
 * checkout to serve instead of this one (a baseline to compare against; it runs with this node_modules).
 */
export function snapshotSources(dir: string, from = repoRoot): string {
  const root = path.join(dir, "src");
  fs.mkdirSync(root, { recursive: true });
  for (const entry of ENTRIES) {
    const source = path.join(from, entry);
    if (!fs.existsSync(source)) continue;
    fs.cpSync(source, path.join(root, entry), {
      recursive: true,
      filter: (src) => !/\.test\.ts$/.test(src) && !src.includes(`${path.sep}node_modules`),
    });
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"), "dir");
  return root;
}
