// End-to-end harness: a real wrangler dev (workerd) over HTTPS in a fresh FLOTILLA_HOME, and the real kubectl.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findFreePort, type RunningFlotilla, startFlotilla } from "../../scripts/local/flotilla.ts";
import { homePaths } from "../../scripts/local/home.ts";
import { type HttpsRequestOptions, type HttpsResponse, httpsRequest } from "../../scripts/local/https-client.ts";
import {
  type KubectlOptions,
  type KubectlResult,
  type KubectlWatch,
  kubectlEnv,
  runKubectl,
  watchKubectl,
} from "./kubectl.ts";

export { type KubectlBinary, kubectlBinaries, requireKubectl } from "./kubectl.ts";
export type { KubectlOptions, KubectlResult, KubectlWatch };

export interface HarnessOptions {
  /** Forward all of wrangler's output (default: errors only; FLOTILLA_E2E_VERBOSE=1 also turns it on). */
  verbose?: boolean;
  /** Directory with wrangler.toml; the checkout by default (tests of the harness itself use a stand-in). */
  root?: string;
  /** Start npm start's local node agent too (default false: tests start the agents they need). */
  agent?: boolean;
  /** Settings of the demo cluster (POST /v1/clusters `settings`), e.g. a short node grace period. */
  clusterSettings?: Record<string, number>;
  /** More Worker vars (startFlotilla's `vars`). */
  vars?: Record<string, string>;
}

export interface Harness {
  /** The running server; replaced by restart(). */
  readonly flotilla: RunningFlotilla;
  readonly home: string;
  readonly port: number;
  /** Runs kubectl against the demo cluster; throws on a non-zero exit unless allowFail. */
  kubectl(args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  /** Starts a long-running kubectl (`get pods -w`) whose stdout lines can be awaited. */
  watchKubectl(args: string[], opts?: { binary?: string }): KubectlWatch;
  /** An HTTPS request to the demo cluster's API (path relative to /clusters/<id>) with the admin token. */
  api(apiPath: string, opts?: HttpsRequestOptions): Promise<HttpsResponse>;
  /** Stops the server and starts it again on the same home and port (persistence tests). */
  restart(): Promise<void>;
  /** Stops the server and removes the home (kept when FLOTILLA_E2E_KEEP=1, for debugging). */
  stop(): Promise<void>;
}

const RESTART_ATTEMPTS = 10;

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "flotilla-e2e-"));
  const quiet = !(opts.verbose ?? process.env.FLOTILLA_E2E_VERBOSE === "1");
  const start = (port: number) =>
    startFlotilla({
      home,
      port,
      quiet,
      root: opts.root,
      agent: opts.agent ?? false,
      clusterSettings: opts.clusterSettings,
      vars: opts.vars,
    });
  let flotilla: RunningFlotilla;
  try {
    flotilla = await startOnFreePort(start);
  } catch (err) {
    fs.rmSync(home, { recursive: true, force: true });
    throw err;
  }
  let port = flotilla.port;
  const env = () => kubectlEnv(flotilla.kubeconfigPath, homePaths(home).kubeCache);
  let stopped = false;

  return {
    get flotilla() {
      return flotilla;
    },
    home,
    get port() {
      return port;
    },
    kubectl: (args, kubectlOpts) => runKubectl(env(), args, kubectlOpts),
    watchKubectl: (args, watchOpts) => watchKubectl(env(), args, watchOpts),
    api: (apiPath, requestOpts = {}) =>
      httpsRequest(`${flotilla.clusterUrl}${apiPath.startsWith("/") ? "" : "/"}${apiPath}`, {
        ca: flotilla.caPem,
        ...requestOpts,
        headers: { authorization: `Bearer ${flotilla.adminToken}`, ...requestOpts.headers },
      }),
    restart: async () => {
      await flotilla.stop();
      flotilla = await restartOnPort(start, port);
      port = flotilla.port;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await flotilla.stop();
      if (process.env.FLOTILLA_E2E_KEEP === "1") console.log(`FLOTILLA_E2E_KEEP: home kept at ${home}`);
      else fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * A port found free can be taken before workerd binds it (another test file's server or agent, in parallel: CI met
 * "Address already in use"); then another free port is tried.
 */
async function startOnFreePort(start: (port: number) => Promise<RunningFlotilla>): Promise<RunningFlotilla> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await findFreePort());
    } catch (err) {
      if (attempt >= RESTART_ATTEMPTS || !/already in use/.test((err as Error).message)) throw err;
    }
  }
}

/** The old workerd may need a moment to release the port; only a busy port is retried, other errors are real. */
async function restartOnPort(
  start: (port: number) => Promise<RunningFlotilla>,
  port: number,
): Promise<RunningFlotilla> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(port);
    } catch (err) {
      if (attempt >= RESTART_ATTEMPTS || !/already in use/.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
