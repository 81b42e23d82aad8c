// `npm start`: the whole system on this machine — wrangler dev (workerd; FLOTILLA_SERVER=miniflare: one workerd on
// Miniflare's own entry socket) over HTTPS with a local CA,
// a demo cluster, and a kubeconfig for the real kubectl. State lives in FLOTILLA_HOME (default .flotilla/).
import path from "node:path";
import { type RunningFlotilla, startFlotilla } from "./local/flotilla.ts";
import { firstExit, groupProcesses } from "./local/group-watch.ts";
import { resolveHome, resolvePort } from "./local/home.ts";
import { buildWeb } from "../web/build.ts";

function banner(f: RunningFlotilla): string {
  const relative = path.relative(process.cwd(), f.kubeconfigPath);
  const kubeconfig = relative && !relative.startsWith("..") ? relative : f.kubeconfigPath;
  return [
    "",
    `Flotilla is running at ${f.url}`,
    `  demo cluster ${f.clusterId}: ${f.clusterUrl}`,
    `  local CA: ${f.caPath}`,
    ...(f.localAgent
      ? [
          `  node agent "${f.localAgent.process.name}": ${f.localAgent.process.runtime} runtime (${f.localAgent.why})`,
          `    log: ${path.join(f.home, "logs", `agent-${f.localAgent.process.name}.log`)}`,
        ]
      : []),
    "",
    "Point kubectl at it:",
    `  export KUBECONFIG=${kubeconfig}`,
    "  kubectl get nodes",
    "  kubectl run hello --image=busybox --restart=Never -- echo hello",
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}

// Signals are handled from the start: during startup they abort it (stopping the server), afterwards they stop.
const starting = new AbortController();
let started: Promise<RunningFlotilla> | undefined;
let stopping = false;

async function main(): Promise<void> {
  const home = resolveHome();
  const port = resolvePort();
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Flotilla…`);
    starting.abort();
    // An aborted start stops the server itself before it rejects; a finished one is stopped here.
    const flotilla = await started?.catch(() => undefined);
    await flotilla?.stop();
    process.exit(0);
  };
  // SIGHUP: the terminal closed; the server sits in its own process group and would not get it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, shutdown);

  // The dashboard is served from web/public; building it first means the page always matches the source.
  const web = await buildWeb({ quiet: true });
  console.log(
    `Dashboard built (${(web.firstLoadJsGzipBytes / 1024).toFixed(1)} KiB of JavaScript on first load, gzip).`,
  );
  console.log(`Starting Flotilla (FLOTILLA_HOME=${home}, port ${port})…`);
  started = startFlotilla({ home, port, quiet: process.env.FLOTILLA_QUIET === "1", signal: starting.signal });
  const flotilla = await started;
  console.log(banner(flotilla));

  // The server's Node process outlives a workerd that died (wrangler's proxy then holds every request,
  // silently): watch workerd too.
  const workerd = firstExit(groupProcesses(flotilla.serverGroup, "workerd"));
  const outcome = await Promise.race([
    flotilla.exited.then((exit) => ({ exit })),
    workerd.exited.then((pid) => ({ pid })),
  ]);
  workerd.cancel();
  if (stopping) return;
  stopping = true;
  if ("pid" in outcome) {
    console.error(`workerd (pid ${outcome.pid}) exited on its own: Flotilla cannot serve without it. Stopping.`);
    await flotilla.stop();
  } else
    console.error(`the local server exited unexpectedly (code ${outcome.exit.code}, signal ${outcome.exit.signal})`);
  console.error("State is kept; run `npm start` again to restart.");
  process.exit(1);
}

main().catch((err: unknown) => {
  if (stopping) return; // shutdown() exits once the server is down
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
