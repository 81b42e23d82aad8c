import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { RuntimeKind } from "../../agent/args.ts";
import { ensureCertificates } from "./ca.ts";
import { applyLocalD1Migrations } from "./d1-migrations.ts";
import { clusterUrl, createJoinToken, ensureDemoCluster, loadOrCreateDemoAccount } from "./demo-cluster.ts";
import { ensureHome, repoRoot, writePrivateFile } from "./home.ts";
import { waitForHealthz } from "./https-client.ts";
import { renderKubeconfig } from "./kubeconfig.ts";
import { type AgentProcess, chooseRuntime, hasJoined, spawnAgent, waitUntilSyncing } from "./local-agent.ts";
import { type ExitInfo, type LocalServer, spawnWranglerDev } from "./wrangler-dev.ts";

export interface StartFlotillaOptions {
  /** FLOTILLA_HOME: certificates, persisted state, demo cluster, kubeconfig. */
  home: string;
  port: number;
  /** Only errors from wrangler reach the terminal. */
  quiet?: boolean;
  /** How long to wait for /healthz (the first start bundles the worker). */
  readyTimeoutMs?: number;
  /** Aborting while starting (Ctrl-C) stops wrangler instead of leaving it running unattended. */
  signal?: AbortSignal;
  /** Directory with wrangler.toml and node_modules; the checkout unless a test runs a stand-in worker. */
  root?: string;
  /** Which local server runs the Worker (default: FLOTILLA_SERVER, else wrangler's dev server). */
  server?: LocalServer;
  /** Start the local node agent (default true; end-to-end tests start their own). */
  agent?: boolean;
  /** Per-cluster settings for a newly created demo cluster (POST /v1/clusters `settings`). */
  clusterSettings?: Record<string, number>;
  /** More Worker vars (tests: a DNS-over-HTTPS resolver of their own as EDGE_DNS_RESOLVER). */
  vars?: Record<string, string>;
}

export interface StartAgentOptions {
  name: string;
  /** Default: docker when a Docker or Podman API answers, otherwise simulated. */
  runtime?: RuntimeKind;
  labels?: Record<string, string>;
  /** Echo the agent's output to stdout (it always goes to <home>/logs/agent-<name>.log). */
  echo?: boolean;
  /**
   * The server's base URL as the agent reaches it (default: the server's own, https://127.0.0.1:<port>),
   * e.g. a TCP relay in front of it that a test can cut; it must present the server's certificate.
   */
  server?: string;
  /** The resolver configuration the agent's cluster DNS forwards to (default: the host's /etc/resolv.conf). */
  resolvConf?: string;
}

export interface RunningFlotilla {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The demo cluster's Kubernetes API root: <url>/clusters/<clusterId>. */
  clusterUrl: string;
  clusterId: string;
  adminToken: string;
  /** The demo account's /v1 token. */
  accountToken: string;
  home: string;
  port: number;
  kubeconfigPath: string;
  caPath: string;
  /** PEM of the local CA, for HTTPS clients in tests. */
  caPem: string;
  /** Resolves when the server stops, whether through stop() or on its own. */
  exited: Promise<ExitInfo>;
  /** The process group of the server (wrangler, esbuild, workerd). */
  serverGroup: number;
  /** The local agent npm start runs, and why it uses its runtime; undefined with `agent: false`. */
  localAgent?: { process: AgentProcess; why: string };
  /** A join token for the demo cluster (POST /v1/clusters/:id/tokens, role join). */
  createJoinToken(ttlSeconds?: number): Promise<string>;
  /** Starts a `flotilla agent` process joined to the demo cluster (joining first if its state dir is new). */
  startAgent(opts: StartAgentOptions): Promise<AgentProcess>;
  /** Stops the agents started here, then wrangler. */
  stop(): Promise<void>;
}

const LISTEN_IP = "127.0.0.1";
/** The domain of the local clusters' host names: `<cluster>.flotilla.localhost`, `<svc>-<ns>-<cluster>.flotilla.localhost`. */
export const LOCAL_EDGE_DOMAIN = "flotilla.localhost";
/** The node name of the agent npm start runs. */
export const LOCAL_NODE = "flotilla-local";

/**
 * Applies D1 migrations, starts wrangler dev on workerd over HTTPS, waits for it, signs in the demo
 * account and creates (or finds) the demo cluster through /v1, writes the kubeconfig.
 */
export async function startFlotilla(opts: StartFlotillaOptions): Promise<RunningFlotilla> {
  const paths = ensureHome(opts.home);
  const { caPem } = ensureCertificates(paths);
  const account = loadOrCreateDemoAccount(paths.demoCluster);
  await assertPortFree(LISTEN_IP, opts.port);
  fs.mkdirSync(paths.state, { recursive: true });
  const root = opts.root ?? repoRoot;
  const wranglerDirs = { registry: path.join(paths.home, "wrangler-registry"), logs: path.join(paths.home, "logs") };
  await applyLocalD1Migrations({ root, persistTo: paths.state, wranglerDirs, signal: opts.signal });

  const url = `https://${LISTEN_IP}:${opts.port}`;
  const wrangler = spawnWranglerDev({
    root,
    server: opts.server,
    ip: LISTEN_IP,
    port: opts.port,
    certPath: paths.serverCert,
    keyPath: paths.serverKey,
    persistTo: paths.state,
    // Your own machine: the "local" plan (no rate limit worth the name), and kubeconfigs from /v1
    // carry the local CA so kubectl trusts the server.
    vars: {
      DEFAULT_PLAN: "local",
      PUBLIC_URL: url,
      KUBECONFIG_CA_DATA: Buffer.from(caPem, "utf8").toString("base64"),
      // Host names under localhost resolve to loopback (curl, browsers, glibc's myhostname); the certificate covers them.
      EDGE_DOMAIN: LOCAL_EDGE_DOMAIN,
      ...opts.vars,
    },
    quiet: opts.quiet ?? false,
    wranglerDirs,
  });
  let cluster: { clusterId: string; adminToken: string; accountToken: string };
  try {
    await waitForHealthz(url, {
      ca: caPem,
      timeoutMs: opts.readyTimeoutMs ?? 90_000,
      abort: Promise.race([
        wrangler.exited.then((e) => `wrangler dev exited (code ${e.code}, signal ${e.signal})`),
        wrangler.buildFailed.then((line) => `the worker did not build (${line})`),
        aborted(opts.signal),
      ]),
    });
    opts.signal?.throwIfAborted();
    cluster = await ensureDemoCluster(url, caPem, paths.demoCluster, account, opts.clusterSettings);
  } catch (err) {
    await wrangler.stop();
    throw new Error(`${(err as Error).message}\n--- wrangler dev output (last lines) ---\n${wrangler.recentOutput()}`);
  }

  const apiUrl = clusterUrl(url, cluster.clusterId);
  // The server's root: the admin token names the demo cluster, so `kubectl get --raw /version` works.
  writePrivateFile(paths.kubeconfig, renderKubeconfig({ server: url, caPem, token: cluster.adminToken }));

  const agents: AgentProcess[] = [];
  const joinToken = (ttl?: number) => createJoinToken(url, caPem, cluster.accountToken, cluster.clusterId, ttl);
  const startAgent = async (agent: StartAgentOptions): Promise<AgentProcess> => {
    // One state dir per cluster and node: a demo cluster created afresh is joined afresh.
    const stateDir = path.join(paths.home, "agents", cluster.clusterId, agent.name);
    const agentUrl = agent.server ? clusterUrl(agent.server, cluster.clusterId) : apiUrl;
    const joined = await hasJoined(stateDir, agentUrl);
    const started = spawnAgent({
      root: repoRoot,
      clusterUrl: agentUrl,
      caPath: paths.caCert,
      name: agent.name,
      runtime: agent.runtime ?? (await chooseRuntime()).runtime,
      stateDir,
      joinToken: joined ? undefined : await joinToken(600),
      labels: agent.labels,
      resolvConf: agent.resolvConf,
      logFile: path.join(paths.home, "logs", `agent-${agent.name}.log`),
      echo: agent.echo,
    });
    agents.push(started);
    await waitUntilSyncing(started);
    return started;
  };
  const stop = async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await wrangler.stop();
  };

  let localAgent: RunningFlotilla["localAgent"];
  if (opts.agent ?? true) {
    try {
      const { runtime, why } = await chooseRuntime();
      localAgent = { process: await startAgent({ name: LOCAL_NODE, runtime, echo: !opts.quiet }), why };
    } catch (err) {
      await stop();
      throw err;
    }
  }

  return {
    url,
    clusterUrl: apiUrl,
    clusterId: cluster.clusterId,
    adminToken: cluster.adminToken,
    accountToken: cluster.accountToken,
    home: paths.home,
    port: opts.port,
    kubeconfigPath: paths.kubeconfig,
    caPath: paths.caCert,
    caPem,
    exited: wrangler.exited,
    serverGroup: wrangler.pid,
    localAgent,
    createJoinToken: joinToken,
    startAgent,
    stop,
  };
}

function aborted(signal: AbortSignal | undefined): Promise<string> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve("start aborted");
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve("start aborted"), { once: true }));
}

/** Checked up front: one clear sentence beats a bind error buried in wrangler's output. */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === "EADDRINUSE"
            ? `port ${port} on ${host} is already in use (another npm start?); set PORT to use another one`
            : `cannot listen on ${host}:${port}: ${err.message}`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A port the OS considers free right now (there is a small race until someone binds it). */
export function findFreePort(host = LISTEN_IP): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
