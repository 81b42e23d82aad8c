// The full run, phase by phase, into one Results record.
import type { BenchArgs } from "./args.ts";
import type { BenchClient } from "./http.ts";
import {
  type CreateFigures,
  createPods,
  firstFullList,
  type ListFigures,
  type LoadFigures,
  listPods,
  noopBaseline,
} from "./phases.ts";
import { rssBytes, workerdByRole } from "./procs.ts";
import type { BenchServer } from "./server.ts";

export interface Results {
  startToHealthzMs: number;
  noop: LoadFigures;
  create: CreateFigures;
  list: ListFigures;
  /** RSS of the user workerd (the object's process) and, apart, of wrangler's proxy workerd. */
  memory: { afterStart: number; afterCreates: number; afterLists: number; afterRestart: number; proxy: number };
  /** The user workerd restarted during the run (a source change reloaded it): figures are suspect. */
  reloaded: boolean;
  restart: { startToHealthzMs: number; healthzToFirstFullListMs: number; listAfterRestartMedianMs: number };
}

const NOOP_REQUESTS = 3_000;

const log = (text: string) => console.error(`[bench] ${text}`);

export interface Clients {
  /** For the measured phases: through wrangler's public HTTPS port, or the direct entry with --direct. */
  load(): BenchClient;
  /** After the restart: always the public port (the direct entry's port changes with the new workerd). */
  public(): BenchClient;
}

export async function collect(server: BenchServer, clients: Clients, args: BenchArgs): Promise<Results> {
  let client = clients.load();
  try {
    log(`no-op baseline: ${NOOP_REQUESTS} × GET /version, ${args.concurrency} clients`);
    const roles = workerdByRole(server.flotilla.port);
    const noop = await noopBaseline(roles, client, NOOP_REQUESTS, args.concurrency);
    const rss = () => rssBytes(workerdByRole(server.flotilla.port).user);
    const afterStart = rss();
    log(`creating ${args.pods} pods, ${args.concurrency} clients, watch open`);
    const create = await createPods(roles, client, args.pods, args.concurrency);
    const afterCreates = rss();
    log("listing (JSON and Table, 5 runs each)");
    const list = await listPods(client, args.pods);
    const afterLists = rss();
    const reloaded = workerdByRole(server.flotilla.port).user.join() !== roles.user.join();
    const proxy = rssBytes(roles.proxy);
    client.close();

    log("restarting on the same FLOTILLA_HOME");
    // A fresh client: the old one's sockets went down with the old server.
    client = clients.public();
    const restartClient = client;
    let firstList: Promise<number> | undefined;
    const timings = await server.restart(() => {
      firstList = firstFullList(restartClient, args.pods);
    });
    const listedAt = await firstList!;
    const afterRestart = rss();
    const again = await listPods(client, args.pods, 3);
    return {
      startToHealthzMs: server.timings.startToHealthzMs,
      noop,
      create,
      list,
      memory: { afterStart, afterCreates, afterLists, afterRestart, proxy },
      reloaded,
      restart: {
        startToHealthzMs: timings.startToHealthzMs,
        healthzToFirstFullListMs: listedAt - timings.healthzAt,
        listAfterRestartMedianMs: again.jsonMedianMs,
      },
    };
  } finally {
    client.close();
  }
}
