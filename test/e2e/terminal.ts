// A real terminal for interactive kubectl (exec -it, run -it, debug -it): a tmux session of our own server,
// typed into with send-keys and read with capture-pane.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { until } from "./poll.ts";

/** A tmux server of our own (its own socket), so nothing of anyone else's sessions is touched. */
export class Terminal {
  static readonly socket = `flotilla-e2e-${process.pid}`;
  readonly exitFile: string;

  constructor(
    readonly name: string,
    command: string,
    size = { width: 120, height: 30 },
  ) {
    this.exitFile = path.join(os.tmpdir(), `${Terminal.socket}-${name}.exit`);
    fs.rmSync(this.exitFile, { force: true });
    // The exit code is kept in a file; the pane stays open a while so its last screen can be read.
    const script = `${command}; echo EXIT=$? > ${this.exitFile}; sleep 120`;
    Terminal.tmux("new-session", "-d", "-s", name, "-x", String(size.width), "-y", String(size.height), script);
  }

  static tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", Terminal.socket, ...args], { encoding: "utf8" });
  }

  screen(): string {
    return Terminal.tmux("capture-pane", "-p", "-t", this.name);
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    return until(
      `${pattern} on ${this.name}'s screen`,
      async () => {
        const text = this.screen();
        return pattern.test(text) ? text : undefined;
      },
      timeoutMs,
      200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nscreen:\n${this.screen()}`);
    });
  }

  type(line: string): void {
    Terminal.tmux("send-keys", "-t", this.name, "-l", line);
    Terminal.tmux("send-keys", "-t", this.name, "Enter");
  }

  resize(width: number, height: number): void {
    Terminal.tmux("resize-window", "-t", this.name, "-x", String(width), "-y", String(height));
  }

  async exitCode(timeoutMs = 30_000): Promise<number> {
    const text = await until(
      `${this.name} to exit`,
      async () => (fs.existsSync(this.exitFile) ? fs.readFileSync(this.exitFile, "utf8") : undefined),
      timeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nscreen:\n${this.screen()}`);
    });
    return Number(/EXIT=(\d+)/.exec(text)?.[1]);
  }

  static killServer(): void {
    try {
      Terminal.tmux("kill-server");
    } catch {
      // no server left
    }
  }
}
