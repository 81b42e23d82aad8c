// Runs the Worker locally on one workerd through Miniflare's own entry socket, serving HTTPS itself.
// wrangler's dev server puts a second workerd (its proxy worker, for hot reloads) and its Node process in
// front of that socket: ~1.5 ms of CPU per request on this machine, more than the cluster object spends on
// a no-op (bench/run.ts --compare-servers measures both). We do not hot-reload, so we skip it. The bundle,
// bindings, persistence layout (<persistTo>/v3, the one wrangler d1 migrations uses) and worker name are
// wrangler's own, read from wrangler.toml, so state written by either server is found by the other.
// Usage: tsx scripts/local/miniflare-worker.ts '<json of DevWorkerOptions>'
import path from "node:path";
import { build } from "esbuild";
import { Miniflare, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";
import type { DevWorkerOptions } from "./dev-worker.ts";
import { disposeOnSignals } from "./signals.ts";

/** Bundles the Worker the way wrangler's own esbuild step does for a modules Worker (no Node.js compat). */
async function bundle(root: string, main: string, outdir: string): Promise<string> {
  const outfile = path.join(outdir, "index.js");
  await build({
    entryPoints: [path.resolve(root, main)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    // wrangler.toml's Text rule: drizzle's bundled migrations are imported as text.
    loader: { ".sql": "text" },
    logLevel: "error",
  });
  return outfile;
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? "{}") as DevWorkerOptions;
  const configPath = path.join(opts.root, "wrangler.toml");
  const config = unstable_readConfig({ config: configPath });
  const { workerOptions, main: entry } = unstable_getMiniflareWorkerOptions(configPath);
  if (!entry) throw new Error(`${configPath} names no main module`);
  const script = await bundle(opts.root, entry, path.join(opts.persistTo, "build"));
  const inspectorPort = Number(process.env.FLOTILLA_INSPECTOR_PORT ?? "") || undefined;
  // Its module rules describe the unbundled sources; the bundle is one ES module.
  const { modulesRules: _rules, ...bindings } = workerOptions;
  const worker = {
    ...bindings,
    name: config.name,
    modules: [{ type: "ESModule", path: script }],
    modulesRoot: path.dirname(script),
    bindings: { ...workerOptions.bindings, ...opts.vars },
  } as WorkerOptions;
  const mf = new Miniflare({
    host: opts.ip,
    port: opts.port,
    https: true,
    httpsKeyPath: opts.keyPath,
    httpsCertPath: opts.certPath,
    inspectorPort,
    defaultPersistRoot: path.join(opts.persistTo, "v3"),
    // The cf object Miniflare would otherwise fetch from the internet; the Worker does not read it.
    cf: false,
    // As wrangler runs its user worker: no per-request log line sent to this process.
    logRequests: false,
    // workerd's own output (uncaught errors, console.log), as wrangler shows it.
    handleRuntimeStdio(stdout, stderr) {
      stdout.pipe(process.stdout);
      stderr.pipe(process.stderr);
    },
    workers: [worker],
  });
  const url = await mf.ready;
  console.log(`Ready on ${url.origin}`);
  disposeOnSignals(() => mf.dispose());
}

main().catch((err) => {
  console.error("✘ [ERROR] the Miniflare server failed to start:", err);
  process.exit(1);
});
