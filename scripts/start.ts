// `npm start`: the whole system on this machine — wrangler dev (workerd) over HTTPS with a local CA,
// a demo cluster, and a kubeconfig for the real kubectl. State lives in FLOTILLA_HOME (default .flotilla/).
import path from "node:path";
import { type RunningFlotilla, startFlotilla } from "./local/flotilla.ts";
import { resolveHome, resolvePort } from "./local/home.ts";

function banner(f: RunningFlotilla): string {
  const kubeconfig = path.relative(process.cwd(), f.kubeconfigPath) || f.kubeconfigPath;
  return [
    "",
    `Flotilla is running at ${f.url}`,
    `  demo cluster ${f.clusterId}: ${f.clusterUrl}`,
    `  local CA: ${f.caPath}`,
    "",
    "Point kubectl at it:",
    `  export KUBECONFIG=${kubeconfig.startsWith("..") ? f.kubeconfigPath : kubeconfig}`,
    "  kubectl get namespaces",
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const home = resolveHome();
  const port = resolvePort();
  console.log(`Starting Flotilla (FLOTILLA_HOME=${home}, port ${port})…`);
  const flotilla = await startFlotilla({ home, port, quiet: process.env.FLOTILLA_QUIET === "1" });
  console.log(banner(flotilla));

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Flotilla…`);
    await flotilla.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  const exit = await flotilla.exited;
  if (!stopping) {
    console.error(`wrangler dev exited unexpectedly (code ${exit.code}, signal ${exit.signal})`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
