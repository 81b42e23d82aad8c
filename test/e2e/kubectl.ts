import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

export interface KubectlOptions {
  /** Path of the kubectl build to run; default `kubectl` from PATH. */
  binary?: string;
  stdin?: string;
  /** Resolve with a non-zero code instead of throwing. */
  allowFail?: boolean;
  timeoutMs?: number;
}

export interface KubectlResult {
  /** null when kubectl was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlBinary {
  name: string;
  path: string;
}

/** Versioned builds shipped beside the Google Cloud CLI's kubectl dispatcher; the oldest and newest we support. */
const VERSIONED_BUILDS = ["kubectl.1.27", "kubectl.1.33"];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `which kubectl`, without depending on which(1). */
export function findKubectl(envPath: string = process.env.PATH ?? ""): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, "kubectl");
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The kubectl on PATH, or an error that says why the e2e tests cannot run (never a silent skip). */
export function requireKubectl(envPath?: string): string {
  const found = findKubectl(envPath);
  if (!found) {
    throw new Error(
      "kubectl is not on PATH: the end-to-end tests drive the real kubectl (1.27–1.33; Debian's kubernetes-client " +
        "1.20 is too old). Install the Google Cloud CLI's kubectl or another build and put it on PATH.",
    );
  }
  return found;
}

/** `kubectl` plus the 1.27 and 1.33 builds beside its real binary, when present. */
export function kubectlBinaries(envPath?: string): KubectlBinary[] {
  const kubectl = requireKubectl(envPath);
  const dir = path.dirname(fs.realpathSync(kubectl));
  const versioned = VERSIONED_BUILDS.map((name) => ({ name, path: path.join(dir, name) })).filter((b) =>
    isExecutable(b.path),
  );
  return [{ name: "kubectl", path: kubectl }, ...versioned];
}

/** Environment for kubectl: our kubeconfig, and a private cache so discovery from an older server never leaks in. */
export function kubectlEnv(kubeconfig: string, cacheDir: string): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir };
}

export function runKubectl(env: NodeJS.ProcessEnv, args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
  return runProcess(opts.binary ?? requireKubectl(env.PATH), env, args, opts);
}

/** Runs any command line tool (kubectl, helm, python3) to its end; throws on a non-zero exit unless allowFail. */
export function runProcess(
  binary: string,
  env: NodeJS.ProcessEnv,
  args: string[],
  opts: Omit<KubectlOptions, "binary"> = {},
): Promise<KubectlResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${binary}: ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr };
      const command = `${path.basename(binary)} ${args.join(" ")}`;
      if (timedOut)
        reject(new Error(`${command} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
      else if (code !== 0 && !opts.allowFail)
        reject(new Error(`${command} exited ${code}\nstderr: ${stderr}\nstdout: ${stdout.slice(0, 2000)}`));
      else resolve(result);
    });
    child.stdin.on("error", () => {}); // kubectl may exit before reading stdin; its exit code tells the story
    child.stdin.end(opts.stdin ?? "");
  });
}

export interface KubectlWatch {
  /** stdout lines seen so far, in order. */
  readonly lines: string[];
  /** The first line (seen already or arriving later) that matches; rejects on timeout or kubectl exiting. */
  waitFor(match: RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Stops kubectl and returns everything it printed. */
  stop(): Promise<KubectlResult>;
}

/** Runs a long-lived kubectl (e.g. `get pods -w`), collecting stdout lines as they arrive. */
export function watchKubectl(env: NodeJS.ProcessEnv, args: string[], opts: { binary?: string } = {}): KubectlWatch {
  const binary = opts.binary ?? requireKubectl(env.PATH);
  const child = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let stderr = "";
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    notify();
  });
  child.stderr.on("data", (chunk) => (stderr += chunk));
  let exit: number | null | undefined;
  const closed = new Promise<void>((resolve) => {
    child.on("close", (code) => {
      exit = code;
      notify();
      resolve();
    });
    child.on("error", (err) => {
      stderr += `cannot run ${binary}: ${err.message}`;
      exit = null;
      notify();
      resolve();
    });
  });

  const waitFor = (match: RegExp | ((line: string) => boolean), timeoutMs = 30_000): Promise<string> => {
    const test = typeof match === "function" ? match : (line: string) => match.test(line);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(test);
        if (found !== undefined) return done(() => resolve(found));
        if (exit !== undefined)
          done(() => reject(new Error(`kubectl ${args.join(" ")} exited ${exit} before a match\n${describe()}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no matching line within ${timeoutMs} ms\n${describe()}`))),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });
  };
  const describe = () => `stdout:\n${lines.join("\n")}\nstderr:\n${stderr}`;

  return {
    lines,
    waitFor,
    stop: async () => {
      if (exit === undefined) child.kill("SIGTERM");
      await closed;
      return { code: exit ?? null, stdout: lines.map((l) => `${l}\n`).join(""), stderr };
    },
  };
}
