// `flotilla agent …` arguments. Pure: parsing never touches the file system or the network.

export type RuntimeKind = "docker" | "simulated";

export interface AgentOptions {
  server: string;
  joinToken?: string;
  name?: string;
  runtime: RuntimeKind;
  stateDir?: string;
  caFile?: string;
  labels: Record<string, string>;
  /** Simulated runtime only: how many nodes this process runs (named <name>-0 … <name>-(n-1)). */
  nodes: number;
  insecureSkipTlsVerify: boolean;
  /** The host resolver configuration (the kubelet's --resolv-conf): forwarded to, and given to Default-policy pods. */
  resolvConf?: string;
}

export const AGENT_USAGE = `Usage: flotilla agent --server <cluster URL> --join-token <token> [options]

Joins this machine to a Flotilla cluster as a node and runs its pods.

Options:
  --server <url>          the cluster URL (https://…/clusters/<id>)
  --join-token <token>    a join token from the cluster owner (not needed once joined)
  --name <node>           the node name (default: the host name)
  --runtime <kind>        docker (Docker or Podman via DOCKER_HOST or the usual sockets) or simulated
  --state-dir <dir>       where the node credential and pod state live (default: ~/.flotilla/agent/<node>)
  --ca-file <pem>         trust this CA for the cluster's HTTPS certificate
  --labels k=v,…          extra node labels
  --nodes <n>             with --runtime simulated: run n nodes in this process
  --resolv-conf <file>    the host's resolvers for cluster DNS to forward to (default: /etc/resolv.conf)
  --insecure-skip-tls-verify  do not verify the server's certificate (local testing only)
`;

export class UsageError extends Error {}

const FLAGS = new Set([
  "server",
  "join-token",
  "name",
  "runtime",
  "state-dir",
  "ca-file",
  "labels",
  "nodes",
  "resolv-conf",
]);
const SWITCHES = new Set(["insecure-skip-tls-verify", "help"]);

/** Parses `k=v,k2=v2` (label values may be empty). */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw new UsageError(`invalid label ${JSON.stringify(part)}: expected key=value`);
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return labels;
}

/** Splits argv into flag values, accepting `--flag value` and `--flag=value`. */
function readFlags(argv: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (SWITCHES.has(flag)) {
      values.set(flag, eq > 0 ? arg.slice(eq + 1) : "true");
      continue;
    }
    if (!FLAGS.has(flag)) throw new UsageError(`unknown flag --${flag}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`flag --${flag} needs a value`);
    values.set(flag, value);
  }
  return values;
}

/** Parses the agent's command line; `undefined` when --help was asked for. */
export function parseAgentArgs(argv: string[]): AgentOptions | undefined {
  const flags = readFlags(argv);
  if (flags.has("help")) return undefined;
  const server = flags.get("server");
  if (!server) throw new UsageError("--server is required");
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server ${JSON.stringify(server)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError("--server must be an https URL");
  const runtime = flags.get("runtime") ?? "docker";
  if (runtime !== "docker" && runtime !== "simulated")
    throw new UsageError(`--runtime must be docker or simulated, not ${JSON.stringify(runtime)}`);
  const nodes = Number(flags.get("nodes") ?? "1");
  if (!Number.isInteger(nodes) || nodes < 1) throw new UsageError("--nodes must be a positive integer");
  if (nodes > 1 && runtime !== "simulated") throw new UsageError("--nodes needs --runtime simulated");
  return {
    server: server.replace(/\/+$/, ""),
    joinToken: flags.get("join-token"),
    name: flags.get("name"),
    runtime,
    stateDir: flags.get("state-dir"),
    caFile: flags.get("ca-file"),
    labels: parseLabels(flags.get("labels") ?? ""),
    nodes,
    insecureSkipTlsVerify: flags.get("insecure-skip-tls-verify") === "true",
    resolvConf: flags.get("resolv-conf"),
  };
}
