// Node agents on this machine, each a `flotilla agent` child process joined to a local cluster: the one
// `npm start` runs for the demo cluster, and the ones end-to-end tests start and kill.
import fs from "node:fs";
import path from "node:path";
import type { RuntimeKind } from "../../agent/args.ts";
import { dockerUnreachable, findDockerHost } from "../../agent/runtime/docker/connect.ts";
import { loadState } from "../../agent/state.ts";
import { type ExitInfo, spawnGroup } from "./process-group.ts";

export interface AgentProcessOptions {
  /** The checkout (cli/bin.mjs and node_modules). */
  root: string;
  clusterUrl: string;
  caPath: string;
  name: string;
  runtime: RuntimeKind;
  stateDir: string;
  /** Needed only when the state dir holds no credential for this cluster yet. */
  joinToken?: string;
  labels?: Record<string, string>;
  /** Every line the agent prints is appended here. */
  logFile: string;
  /** Also echo the agent's lines to stdout, prefixed with its name. */
  echo?: boolean;
  /** The agent's environment (default: ours), e.g. DOCKER_HOST. */
  env?: NodeJS.ProcessEnv;
  /** --resolv-conf: the resolvers cluster DNS forwards to (default: the host's). */
  resolvConf?: string;
}

export interface AgentProcess {
  name: string;
  runtime: RuntimeKind;
  stateDir: string;
  pid: number;
  exited: Promise<ExitInfo>;
  recentOutput(): string;
  /** SIGTERM: the agent stops syncing and leaves its containers running (the next start adopts them). */
  stop(): Promise<ExitInfo>;
  /** SIGKILL: the machine's agent dies without a word, as in a crash. */
  kill(): Promise<ExitInfo>;
}

export function agentArgs(opts: AgentProcessOptions): string[] {
  const args = ["agent", "--server", opts.clusterUrl, "--ca-file", opts.caPath, "--name", opts.name];
  args.push("--runtime", opts.runtime, "--state-dir", opts.stateDir);
  if (opts.joinToken) args.push("--join-token", opts.joinToken);
  const labels = Object.entries(opts.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) args.push("--labels", labels.join(","));
  if (opts.resolvConf) args.push("--resolv-conf", opts.resolvConf);
  return args;
}

export function spawnAgent(opts: AgentProcessOptions): AgentProcess {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const log = fs.createWriteStream(opts.logFile, { flags: "a" });
  const group = spawnGroup({
    command: process.execPath,
    args: [path.join(opts.root, "cli", "bin.mjs"), ...agentArgs(opts)],
    cwd: opts.root,
    env: opts.env ?? process.env,
    onLine: (line, plain) => {
      log.write(`${plain}\n`);
      if (opts.echo) process.stdout.write(`[agent ${opts.name}] ${line}\n`);
    },
  });
  group.exited.then(() => log.end());
  return {
    name: opts.name,
    runtime: opts.runtime,
    stateDir: opts.stateDir,
    pid: group.pid,
    exited: group.exited,
    recentOutput: group.recentOutput,
    // The agent stops its sync loops on SIGTERM; 10 s covers a long-poll in flight.
    stop: () => group.stop(10_000),
    kill: async () => {
      group.signal("SIGKILL");
      return group.exited;
    },
  };
}

/** Whether a node state dir already holds a credential for this cluster (then no join token is needed). */
export async function hasJoined(stateDir: string, clusterUrl: string): Promise<boolean> {
  const state = await loadState(stateDir).catch(() => undefined);
  return state?.server === clusterUrl;
}

/** The docker runtime when a Docker or Podman API answers, otherwise the simulated one, and why. */
export async function chooseRuntime(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ runtime: RuntimeKind; why: string }> {
  const host = findDockerHost(env);
  if (!host) return { runtime: "simulated", why: "no Docker or Podman socket found (set DOCKER_HOST)" };
  const problem = await dockerUnreachable(host);
  if (problem) return { runtime: "simulated", why: `the container API at ${host} does not answer (${problem})` };
  return { runtime: "docker", why: `container API at ${host}` };
}

/** Waits until the agent prints that it joined or resumed; rejects with its output if it exits first. */
export async function waitUntilSyncing(agent: AgentProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  agent.exited.then(() => {
    exited = true;
  });
  while (!/joined .* as node|resuming as node/.test(agent.recentOutput())) {
    if (exited) throw new Error(`agent ${agent.name} exited:\n${agent.recentOutput()}`);
    if (Date.now() > deadline) throw new Error(`agent ${agent.name} did not join in time:\n${agent.recentOutput()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
