// Where the CLI keeps its login: $FLOTILLA_CONFIG_DIR or $XDG_CONFIG_HOME/flotilla (~/.config/flotilla),
// in credentials.json with mode 0600 (the directory 0700).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface CliCredentials {
  /** Base URL of the Flotilla API, e.g. https://flotilla.example.com or https://127.0.0.1:8787. */
  server: string;
  email: string;
  token: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOTILLA_CONFIG_DIR) return path.resolve(env.FLOTILLA_CONFIG_DIR);
  const base = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(os.homedir(), ".config");
  return path.join(base, "flotilla");
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), "credentials.json");
}

export function saveCredentials(creds: CliCredentials, env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}

export function loadCredentials(env: NodeJS.ProcessEnv = process.env): CliCredentials | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(credentialsPath(env), "utf8")) as Partial<CliCredentials>;
    if (typeof parsed.server === "string" && typeof parsed.token === "string" && typeof parsed.email === "string")
      return parsed as CliCredentials;
  } catch {}
  return undefined;
}

export function clearCredentials(env: NodeJS.ProcessEnv = process.env): void {
  fs.rmSync(credentialsPath(env), { force: true });
}
