// Tunnel handlers for the Docker runtime's streams: a container's log (follow, tail, since, timestamps),
// demultiplexed from the Engine API's framing and written to the tunnel within its credit, so a slow
// kubectl slows the read from Docker instead of filling memory.
import type Docker from "dockerode";
import type { LogsOpen, OpenRequest } from "../../../kube/tunnel-protocol.ts";
import { StreamError } from "../../tunnel/stream.ts";
import type { AgentStream } from "../../tunnel/stream.ts";
import { LABEL_NODE } from "./labels.ts";

/**
 * The Engine API's stdio framing for containers without a TTY: an 8-byte header (stream 1 stdout or 2 stderr,
 * three zero bytes, big-endian length) before each payload. Push chunks, get payloads with their stream.
 */
export class StdioDemuxer {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { stream: number; data: Buffer }[] {
    this.#buffer = this.#buffer.byteLength === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const out: { stream: number; data: Buffer }[] = [];
    while (this.#buffer.byteLength >= 8) {
      const length = this.#buffer.readUInt32BE(4);
      if (this.#buffer.byteLength < 8 + length) break;
      out.push({ stream: this.#buffer[0], data: this.#buffer.subarray(8, 8 + length) });
      this.#buffer = this.#buffer.subarray(8 + length);
    }
    return out;
  }
}

/** The container, if it belongs to this node (a status written by hand cannot reach other containers). */
export async function nodeContainer(docker: Docker, id: string, nodeName: string) {
  const container = docker.getContainer(id);
  const info = await container.inspect().catch(() => undefined);
  if (!info || info.Config.Labels?.[LABEL_NODE] !== nodeName)
    throw new StreamError(404, `container ${id} not found on node "${nodeName}"`);
  return { container, info };
}

export function logsHandler(docker: Docker, nodeName: string) {
  return async (open: OpenRequest, stream: AgentStream) => {
    const req = open as LogsOpen;
    const { container, info } = await nodeContainer(docker, req.containerID, nodeName);
    const options = {
      stdout: true,
      stderr: true,
      timestamps: req.timestamps,
      // The Engine API takes "all" too; dockerode's type only knows numbers.
      tail: (req.tailLines ?? "all") as number,
      since: req.since ?? 0,
    };
    const raw = req.follow
      ? ((await container.logs({ ...options, follow: true })) as NodeJS.ReadableStream)
      : ((await container.logs({ ...options, follow: false })) as unknown as Buffer);
    stream.accept();
    const demux = info.Config.Tty ? undefined : new StdioDemuxer();
    const forward = async (chunk: Buffer) => {
      const parts = demux ? demux.push(chunk).map((p) => p.data) : [chunk];
      for (const part of parts) if (!(await stream.write(part))) return false;
      return true;
    };
    if (Buffer.isBuffer(raw)) {
      await forward(raw);
      return undefined;
    }
    const destroy = () => (raw as unknown as { destroy(): void }).destroy();
    stream.signal.addEventListener("abort", destroy);
    try {
      for await (const chunk of raw as AsyncIterable<Buffer>) if (!(await forward(chunk))) break;
    } finally {
      stream.signal.removeEventListener("abort", destroy);
      destroy();
    }
    return undefined;
  };
}
