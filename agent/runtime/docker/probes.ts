// Liveness, readiness and startup probes (exec, httpGet, tcpSocket) with upstream's thresholds: a probe's
// result flips only after successThreshold successes or failureThreshold failures in a row.
import { request } from "node:http";
import { connect } from "node:net";
import type Docker from "dockerode";
import type { Container, Probe } from "../../../kube/pod-types.ts";

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface ProbeTarget {
  docker: Docker;
  containerId: string;
  container: Container;
  /** Where the pod's ports are reachable from the agent (the pod IP, or 127.0.0.1 on the host network). */
  host: string;
}

/** A named port resolves through the container's ports, as upstream's probe port lookup. */
export function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

async function execProbe(probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const command = probe.exec?.command ?? [];
  const exec = await target.docker
    .getContainer(target.containerId)
    .exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve) => stream.on("end", () => resolve()));
  const timedOut = await Promise.race([finished.then(() => false), sleep(timeoutMs).then(() => true)]);
  if (timedOut) {
    stream.destroy();
    return { ok: false, message: `command "${command.join(" ")}" timed out` };
  }
  const info = await exec.inspect();
  // The multiplexed stream carries 8-byte frame headers; strip them for a readable message.
  const output = demux(Buffer.concat(chunks)).trim();
  return { ok: info.ExitCode === 0, message: output };
}

/** Docker's multiplexed stdout/stderr frames → text (non-multiplexed input passes through). */
export function demux(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length && buffer[offset] <= 2 && buffer.readUInt16BE(offset + 1) === 0) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  if (offset < buffer.length) parts.push(buffer.subarray(offset));
  return Buffer.concat(parts).toString("utf8");
}

function httpProbe(probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const get = probe.httpGet!;
  const port = resolvePort(get.port, target.container);
  const host = get.host || target.host;
  const headers = Object.fromEntries((get.httpHeaders ?? []).map((h) => [h.name, h.value]));
  return new Promise((resolve) => {
    const req = request({ host, port, path: get.path ?? "/", method: "GET", headers, timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(
        code >= 200 && code < 400
          ? { ok: true, message: "" }
          : { ok: false, message: `HTTP probe failed with statuscode: ${code}` },
      );
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ ok: false, message: `Get "http://${host}:${port}${get.path ?? "/"}": context deadline exceeded` });
    });
    req.on("error", (error) =>
      resolve({ ok: false, message: `Get "http://${host}:${port}${get.path ?? "/"}": ${error.message}` }),
    );
    req.end();
  });
}

function tcpProbe(probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const port = resolvePort(probe.tcpSocket!.port, target.container) ?? 0;
  const host = probe.tcpSocket!.host || target.host;
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on("connect", () => {
      socket.destroy();
      resolve({ ok: true, message: "" });
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.on("error", (error) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${error.message}` }));
  });
}

export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.exec) return await execProbe(probe, target, timeoutMs);
    if (probe.httpGet) return await httpProbe(probe, target, timeoutMs);
    if (probe.tcpSocket) return await tcpProbe(probe, target, timeoutMs);
    return { ok: true, message: "" };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One probe's schedule and threshold state for one container instance. Pure apart from the clock. */
export class ProbeTracker {
  #successes = 0;
  #failures = 0;
  #lastRun = 0;
  running = false;
  /** The current verdict: starts false for readiness and startup, true for liveness. */
  result: boolean;
  lastMessage = "";

  constructor(
    readonly probe: Probe,
    initial: boolean,
  ) {
    this.result = initial;
  }

  due(now: number, startedAt: number): boolean {
    if (this.running) return false;
    if (now - startedAt < (this.probe.initialDelaySeconds ?? 0) * 1000) return false;
    return this.#lastRun === 0 || now - this.#lastRun >= (this.probe.periodSeconds ?? 10) * 1000;
  }

  /** Records one outcome; returns true when the verdict changed. */
  observe(ok: boolean, now: number, message = ""): boolean {
    this.#lastRun = now;
    this.lastMessage = message;
    if (ok) {
      this.#failures = 0;
      this.#successes++;
      if (!this.result && this.#successes >= (this.probe.successThreshold ?? 1)) return this.#flip(true);
    } else {
      this.#successes = 0;
      this.#failures++;
      if (this.result && this.#failures >= (this.probe.failureThreshold ?? 3)) return this.#flip(false);
      // Liveness and startup act on every run past the threshold, not only the first.
      if (!this.result && this.#failures >= (this.probe.failureThreshold ?? 3)) return false;
    }
    return false;
  }

  /** Failures in a row have reached the threshold. */
  get failed(): boolean {
    return this.#failures >= (this.probe.failureThreshold ?? 3);
  }

  #flip(to: boolean): boolean {
    this.result = to;
    return true;
  }
}
