// `npm run bench`: one cluster object behind the Worker on the local server npm start uses (workerd, HTTPS):
// no-op baseline, N pod creates with a watch counting them, full lists (JSON and Table),
// workerd's memory, and a restart that reloads the pods from SQLite. Prints figures only.
import { parseArgs } from "./args.ts";
import { directEntryUrl } from "./direct.ts";
import { createClient } from "./http.ts";
import { workerdByRole } from "./procs.ts";
import { runProfile } from "./profile.ts";
import { collect } from "./collect.ts";
import { compareServers } from "./compare-servers.ts";
import { INSPECTOR_PORT_ENV } from "./cpu-profile.ts";
import { profileCreates } from "./create-profile.ts";
import { printResults } from "./results.ts";
import { startBenchServer } from "./server.ts";

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.compareServers) return compareServers(args);
  if (args.cpuProfile) process.env[INSPECTOR_PORT_ENV] ??= "9239";
  console.error(`starting the local server (temporary FLOTILLA_HOME) …`);
  const server = await startBenchServer({ keep: args.keep, live: args.live });
  try {
    const { url, clusterUrl, clusterId, adminToken, caPem } = server.flotilla;
    const newClient = (baseUrl: string) =>
      createClient({ baseUrl, token: adminToken, caPem, maxSockets: Math.max(16, args.concurrency) });
    const root = args.direct ? await directEntryUrl(server.flotilla.port) : url;
    if (args.direct)
      console.error(`--direct: requests go to the user workerd at ${root}, not through wrangler's proxy`);
    const cluster = () => newClient(`${root}/clusters/${clusterId}`);
    if (args.cpuProfile)
      await profileCreates(workerdByRole(server.flotilla.port), cluster(), args.pods, args.concurrency);
    else if (args.profile)
      await runProfile(workerdByRole(server.flotilla.port), newClient(root), cluster(), args.concurrency);
    else printResults(args, await collect(server, { load: cluster, public: () => newClient(clusterUrl) }, args));
  } finally {
    await server.dispose();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
