import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root: local state defaults beside the code, whatever the caller's cwd. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const DEFAULT_PORT = 8787;

/** Every file `npm start` keeps under FLOTILLA_HOME. */
export interface HomePaths {
  home: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** wrangler dev --persist-to: Durable Object SQLite, D1, KV. */
  state: string;
  demoCluster: string;
  kubeconfig: string;
  /** kubectl discovery/http cache, kept per home so a stale cache never outlives a reset. */
  kubeCache: string;
}

/** FLOTILLA_HOME if set (relative values resolve against cwd, as a user typed them), else `<repo>/.flotilla`. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FLOTILLA_HOME?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(repoRoot, ".flotilla");
}

export function resolvePort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT?.trim();
  if (!raw) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be an integer between 1 and 65535, got ${JSON.stringify(raw)}`);
  }
  return port;
}

export function homePaths(home: string): HomePaths {
  const at = (name: string) => path.join(home, name);
  return {
    home,
    caCert: at("ca.pem"),
    caKey: at("ca-key.pem"),
    serverCert: at("server.pem"),
    serverKey: at("server-key.pem"),
    state: at("state"),
    demoCluster: at("demo-cluster.json"),
    kubeconfig: at("kubeconfig.yaml"),
    kubeCache: at("kube-cache"),
  };
}

/** Creates the home (private: it holds keys and tokens) and returns its paths. */
export function ensureHome(home: string): HomePaths {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  return homePaths(home);
}

/**
 * Writes a file readable only by its owner. Goes through a temp file and rename so a crash never leaves a
 * half-written key or token behind, and so an existing file with looser permissions is replaced, not reused.
 */
export function writePrivateFile(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
