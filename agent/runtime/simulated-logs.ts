// Logs of simulated containers: no process writes anything, so the node says so, honestly, in the
// container's log — one line when it started and, while following, one line per interval — so that
// `kubectl logs` and the dashboard's log view work against simulated nodes as against real ones.
import type { LogsOpen, OpenRequest } from "../../kube/tunnel-protocol.ts";
import type { AgentStream } from "../tunnel/stream.ts";

export const SIMULATED_LOG_INTERVAL_MS = 5_000;

export interface SimulatedLogOptions {
  now?: () => number;
  intervalMs?: number;
}

/** One log line, with the RFC 3339 timestamp in front when asked for (as `kubectl logs --timestamps`). */
export function simulatedLogLine(containerID: string, text: string, at: number, timestamps: boolean): string {
  const line = `simulated container ${containerID}: ${text}\n`;
  return timestamps ? `${new Date(at).toISOString()} ${line}` : line;
}

export function simulatedLogsHandler(opts: SimulatedLogOptions = {}) {
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? SIMULATED_LOG_INTERVAL_MS;
  return async (open: OpenRequest, stream: AgentStream) => {
    const req = open as LogsOpen;
    const encode = (text: string) =>
      new TextEncoder().encode(simulatedLogLine(req.containerID, text, now(), req.timestamps));
    stream.accept();
    if (req.tailLines === 0) {
      if (!req.follow) return undefined;
    } else if (!(await stream.write(encode("running (a simulated node runs no processes)")))) return undefined;
    while (req.follow && !stream.signal.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        stream.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (stream.signal.aborted || !(await stream.write(encode("still running")))) break;
    }
    return undefined;
  };
}
