// `flotilla`: sign-up, login, clusters, kubeconfigs and tokens against the public API (/v1).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { agentMain } from "../agent/cli.ts";
import { flag, type Parsed, parseArgs } from "./args.ts";
import { type CliCredentials, clearCredentials, loadCredentials, saveCredentials } from "./config.ts";
import { type ApiTarget, api, CliError, type Json } from "./http.ts";
import { mergeKubeconfig } from "./kubeconfig-merge.ts";

const DEFAULT_SERVER = "https://127.0.0.1:8787";

export const USAGE = `flotilla — Kubernetes playground clusters at the edge

usage: flotilla <command> [options]

  signup  [--email E] [--password-stdin]     create an account and log in
  login   [--email E] [--password-stdin]     log in (a new account token)
  logout                                     revoke this machine's token and forget it
  clusters create <name> [--kubeconfig-file F | --no-kubeconfig]
  clusters list [--json]
  clusters get <cluster> [--json]
  clusters delete <cluster>
  kubeconfig <cluster> [--view] [--ttl SECONDS] [--file F | --print]
                                             a kubeconfig with a new token, merged into
                                             $KUBECONFIG or ~/.kube/config (or written to F)
  tokens create <cluster> --role admin|view|join [--ttl SECONDS]
  tokens list <cluster> [--json]
  tokens revoke <cluster> <token-id>
  users create <cluster> <username> [--groups G1,G2] [--ttl SECONDS] [--file F]
                                             a kubeconfig for a named user in those groups, to hand
                                             to someone (printed, or written to F); grant it access
                                             with RBAC: kubectl create rolebinding --user/--group …
  users list <cluster> [--json]
  users revoke <cluster> <user-id>
  agent --server <url> --join-token <t> …   connect this machine as a node (flotilla agent --help)

options:
  --server URL   the Flotilla API (default: the logged-in server, $FLOTILLA_SERVER, or ${DEFAULT_SERVER})
  --ca FILE      a CA certificate to trust (default: $FLOTILLA_CA_FILE; a local \`npm start\` uses .flotilla/ca.pem)
Passwords come from $FLOTILLA_PASSWORD, --password-stdin, or a prompt. Credentials are kept in
$FLOTILLA_CONFIG_DIR or ~/.config/flotilla/credentials.json (mode 0600). <cluster> is a name or an id.`;

interface Io {
  out(line: string): void;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
}

function serverOf(args: Parsed, io: Io, saved?: CliCredentials): string {
  return flag(args, "server") ?? io.env.FLOTILLA_SERVER ?? saved?.server ?? DEFAULT_SERVER;
}

function caOf(args: Parsed, io: Io): string | undefined {
  const file = flag(args, "ca") ?? io.env.FLOTILLA_CA_FILE;
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read the CA file ${file}: ${(err as Error).message}`);
  }
}

function loggedIn(args: Parsed, io: Io): ApiTarget {
  const saved = loadCredentials(io.env);
  if (!saved) throw new CliError("not logged in: run `flotilla signup` or `flotilla login` first");
  return { server: serverOf(args, io, saved), ca: caOf(args, io), token: saved.token };
}

async function readPassword(args: Parsed, io: Io): Promise<string> {
  if (io.env.FLOTILLA_PASSWORD) return io.env.FLOTILLA_PASSWORD;
  if (args.flags.has("password-stdin")) {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
  }
  return prompt("Password: ", io, true);
}

function prompt(question: string, io: Io, hidden = false): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stderr.write(question);
    };
  }
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write("\n");
      resolve(answer);
    });
  });
}

async function authenticate(kind: "signup" | "login", args: Parsed, io: Io): Promise<void> {
  const server = serverOf(args, io, loadCredentials(io.env));
  const email = flag(args, "email") ?? io.env.FLOTILLA_EMAIL ?? (await prompt("Email: ", io));
  const password = await readPassword(args, io);
  const reply = await api({ server, ca: caOf(args, io) }, "POST", `/v1/${kind}`, { email, password });
  const file = saveCredentials({ server, email: reply.account.email, token: reply.token }, io.env);
  io.out(
    `${kind === "signup" ? "Signed up and logged in" : "Logged in"} as ${reply.account.email} (plan ${reply.account.plan}).`,
  );
  io.out(`Credentials saved to ${file}.`);
}

/** A cluster by name or id among the account's clusters. */
async function resolveCluster(target: ApiTarget, ref: string | undefined): Promise<Json> {
  if (!ref) throw new CliError("which cluster? give its name or id");
  const { items } = await api(target, "GET", "/v1/clusters");
  const found = items.find((c: Json) => c.id === ref || c.name === ref);
  if (!found) throw new CliError(`no cluster named "${ref}" (see \`flotilla clusters list\`)`);
  return found;
}

function defaultKubeconfigPath(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.KUBECONFIG?.split(path.delimiter).find(Boolean);
  return fromEnv ?? path.join(env.HOME ?? os.homedir(), ".kube", "config");
}

/** Merges into the user's kubeconfig, or writes a file of its own with --file/--kubeconfig-file. */
function installKubeconfig(kubeconfig: string, args: Parsed, io: Io, fileFlag: string): string {
  const file = flag(args, fileFlag);
  if (file) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return `Kubeconfig written to ${file} (use: kubectl --kubeconfig ${file} get namespaces).`;
  }
  const target = defaultKubeconfigPath(io.env);
  const existing = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  fs.writeFileSync(target, mergeKubeconfig(existing, kubeconfig), { mode: 0o600 });
  fs.chmodSync(target, 0o600);
  const context = /current-context: (\S+)/.exec(kubeconfig)?.[1];
  return `Merged into ${target}; current context is now ${context}.`;
}

function when(ms: number | null): string {
  return ms === null ? "never" : new Date(ms).toISOString();
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("   ")
      .trimEnd(),
  );
}

async function clusters(args: Parsed, io: Io): Promise<void> {
  const [, sub, ref] = args.words;
  const target = loggedIn(args, io);
  const json = args.flags.has("json");
  switch (sub) {
    case "create": {
      if (!ref) throw new CliError("usage: flotilla clusters create <name>");
      const c = await api(target, "POST", "/v1/clusters", { name: ref });
      io.out(`Cluster ${c.name} created: ${c.id}`);
      io.out(`  server:     ${c.server}`);
      io.out(`  expires:    ${when(c.expiresAt)} (if idle; any use extends it)`);
      io.out(`  join token: ${c.joinToken}`);
      if (!args.flags.has("no-kubeconfig")) io.out(installKubeconfig(c.kubeconfig, args, io, "kubeconfig-file"));
      return;
    }
    case "list": {
      const { items } = await api(target, "GET", "/v1/clusters");
      if (json) return io.out(JSON.stringify(items, null, 2));
      if (items.length === 0) return io.out("No clusters yet: `flotilla clusters create <name>`.");
      const rows = items.map((c: Json) => [c.name, c.id, c.plan, when(c.expiresAt)]);
      for (const line of table([["NAME", "ID", "PLAN", "EXPIRES"], ...rows])) io.out(line);
      return;
    }
    case "get": {
      const c = await resolveCluster(target, ref);
      const full = await api(target, "GET", `/v1/clusters/${c.id}`);
      if (json) return io.out(JSON.stringify(full, null, 2));
      io.out(`${full.name} (${full.id}), plan ${full.plan}`);
      io.out(`  server:  ${full.server}`);
      io.out(`  expires: ${when(full.expiresAt)}; last active ${when(full.lastActiveAt)}`);
      for (const key of ["nodes", "pods", "objects", "storedBytes"])
        io.out(`  ${key}: ${full.usage[key]} of ${full.limits?.[key] ?? "?"}`);
      return;
    }
    case "delete": {
      const c = await resolveCluster(target, ref);
      await api(target, "DELETE", `/v1/clusters/${c.id}`);
      io.out(`Cluster ${c.name} (${c.id}) deleted with everything it stored.`);
      return;
    }
    default:
      throw new CliError("usage: flotilla clusters create|list|get|delete …", 2);
  }
}

function ttlOf(args: Parsed): number | undefined {
  const raw = flag(args, "ttl");
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new CliError(`--ttl must be a number of seconds, not "${raw}"`);
  return Number(raw);
}

async function tokens(args: Parsed, io: Io): Promise<void> {
  const [, sub, ref, tokenId] = args.words;
  const target = loggedIn(args, io);
  const c = await resolveCluster(target, ref);
  switch (sub) {
    case "create": {
      const role = flag(args, "role");
      if (!role) throw new CliError("--role admin|view|join is required");
      const t = await api(target, "POST", `/v1/clusters/${c.id}/tokens`, { role, ttlSeconds: ttlOf(args) });
      io.out(`Token ${t.id} (${t.role}, expires ${when(t.expiresAt)}); shown only this once:`);
      io.out(t.token);
      return;
    }
    case "list": {
      const { items } = await api(target, "GET", `/v1/clusters/${c.id}/tokens`);
      if (args.flags.has("json")) return io.out(JSON.stringify(items, null, 2));
      const rows = items.map((t: Json) => [t.id, t.role, when(t.createdAt), when(t.expiresAt)]);
      for (const line of table([["ID", "ROLE", "CREATED", "EXPIRES"], ...rows])) io.out(line);
      return;
    }
    case "revoke": {
      if (!tokenId) throw new CliError("usage: flotilla tokens revoke <cluster> <token-id>");
      await api(target, "DELETE", `/v1/clusters/${c.id}/tokens/${encodeURIComponent(tokenId)}`);
      io.out(`Token ${tokenId} revoked; it stops working at once.`);
      return;
    }
    default:
      throw new CliError("usage: flotilla tokens create|list|revoke <cluster> …", 2);
  }
}

async function users(args: Parsed, io: Io): Promise<void> {
  const [, sub, ref, name] = args.words;
  const target = loggedIn(args, io);
  const c = await resolveCluster(target, ref);
  switch (sub) {
    case "create": {
      if (!name) throw new CliError("usage: flotilla users create <cluster> <username> [--groups G1,G2]");
      const groups = flag(args, "groups")?.split(",").filter(Boolean) ?? [];
      const u = await api(target, "POST", `/v1/clusters/${c.id}/users`, {
        username: name,
        groups,
        ttlSeconds: ttlOf(args),
      });
      const file = flag(args, "file");
      if (!file) return io.out(u.kubeconfig.trimEnd());
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.writeFileSync(file, u.kubeconfig, { mode: 0o600 });
      fs.chmodSync(file, 0o600);
      io.out(`User ${u.username} (${u.id}, groups: ${u.groups.join(",") || "none"}, expires ${when(u.expiresAt)}).`);
      io.out(`Kubeconfig written to ${file}; it can do nothing until bound, e.g.`);
      io.out(
        `  kubectl create rolebinding ${u.username.replace(/[^a-z0-9.-]/gi, "-").toLowerCase()}-view --clusterrole=view --user=${u.username} -n default`,
      );
      return;
    }
    case "list": {
      const { items } = await api(target, "GET", `/v1/clusters/${c.id}/users`);
      if (args.flags.has("json")) return io.out(JSON.stringify(items, null, 2));
      if (items.length === 0) return io.out(`No users: \`flotilla users create ${c.name} <username>\`.`);
      const rows = items.map((u: Json) => [
        u.id,
        u.username,
        u.groups.join(",") || "-",
        when(u.createdAt),
        when(u.expiresAt),
      ]);
      for (const line of table([["ID", "USERNAME", "GROUPS", "CREATED", "EXPIRES"], ...rows])) io.out(line);
      return;
    }
    case "revoke": {
      if (!name) throw new CliError("usage: flotilla users revoke <cluster> <user-id>");
      await api(target, "DELETE", `/v1/clusters/${c.id}/users/${encodeURIComponent(name)}`);
      io.out(`User token ${name} revoked; it stops working at once.`);
      return;
    }
    default:
      throw new CliError("usage: flotilla users create|list|revoke <cluster> …", 2);
  }
}

async function kubeconfig(args: Parsed, io: Io): Promise<void> {
  const target = loggedIn(args, io);
  const c = await resolveCluster(target, args.words[1]);
  const role = args.flags.has("view") ? "view" : "admin";
  const reply = await api(target, "POST", `/v1/clusters/${c.id}/kubeconfig`, { role, ttlSeconds: ttlOf(args) });
  if (args.flags.has("print")) return io.out(reply.kubeconfig.trimEnd());
  io.out(installKubeconfig(reply.kubeconfig, args, io, "file"));
}

async function logout(args: Parsed, io: Io): Promise<void> {
  const saved = loadCredentials(io.env);
  if (saved)
    await api({ server: saved.server, ca: caOf(args, io), token: saved.token }, "POST", "/v1/logout", {}, [200, 401]);
  clearCredentials(io.env);
  io.out("Logged out.");
}

export async function run(argv: string[], io: Io): Promise<number> {
  // The agent parses its own flags (--server, --join-token, --runtime, --help …).
  if (argv[0] === "agent") return agentMain(argv.slice(1));
  const args = parseArgs(argv);
  const command = args.words[0];
  if (!command || args.flags.has("help") || command === "help") {
    io.out(USAGE);
    return command || args.flags.has("help") ? 0 : 2;
  }
  try {
    switch (command) {
      case "signup":
      case "login":
        await authenticate(command, args, io);
        break;
      case "logout":
        await logout(args, io);
        break;
      case "clusters":
        await clusters(args, io);
        break;
      case "tokens":
        await tokens(args, io);
        break;
      case "users":
        await users(args, io);
        break;
      case "kubeconfig":
        await kubeconfig(args, io);
        break;
      default:
        throw new CliError(`unknown command "${command}"; see \`flotilla --help\``, 2);
    }
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`flotilla: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
