// Runs the Worker locally the way `wrangler dev` does — wrangler's own dev server on workerd,
// over HTTPS, with persisted state — but through wrangler's programmatic API, which lets us
// turn the DevTools inspector off. With the CLI it is always on, and wrangler's inspector
// proxy then spends several milliseconds of CPU on every request that reaches a Durable
// Object (it forwards every network debugger event to wrangler's Node process).
// Usage: tsx scripts/local/dev-worker.ts '<json of DevWorkerOptions>'
import path from "node:path";
import { unstable_startWorker } from "wrangler";
import { disposeOnSignals } from "./signals.ts";

export interface DevWorkerOptions {
  root: string;
  ip: string;
  port: number;
  certPath: string;
  keyPath: string;
  persistTo: string;
  vars: Record<string, string>;
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? "{}") as DevWorkerOptions;
  const bindings = Object.fromEntries(
    Object.entries(opts.vars).map(([name, value]) => [name, { type: "plain_text" as const, value }]),
  );
  const inspectorPort = Number(process.env.FLOTILLA_INSPECTOR_PORT ?? "") || undefined;
  const worker = await unstable_startWorker({
    config: path.join(opts.root, "wrangler.toml"),
    bindings,
    sendMetrics: false,
    dev: {
      // Benchmarks profile the object's CPU through it (bench/cpu-profile.ts); off otherwise.
      inspector: inspectorPort ? { hostname: "127.0.0.1", port: inspectorPort } : false,
      watch: false,
      persist: opts.persistTo,
      logLevel: "log",
      server: {
        hostname: opts.ip,
        port: opts.port,
        secure: true,
        httpsKeyPath: opts.keyPath,
        httpsCertPath: opts.certPath,
      },
    },
  });
  await worker.ready;
  console.log(`Ready on https://${opts.ip}:${opts.port}`);
  disposeOnSignals(() => worker.dispose());
}

main().catch((err) => {
  console.error("✘ [ERROR] dev worker failed to start:", err);
  process.exit(1);
});
