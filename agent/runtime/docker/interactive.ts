// What exec and attach share on the agent: a hijacked Docker connection joined to a tunnel stream. Stdin
// and resizes come from the stream on Kubernetes' channel numbers (a close of channel 0 half-closes stdin);
// output goes back on stdout/stderr, demultiplexed from the Engine API's framing, or raw on stdout when the
// process has a terminal (Docker does not frame a TTY's output: it has one stream).
import type { Duplex } from "node:stream";
import { Channel } from "../../../kube/tunnel-protocol.ts";
import { parseResize } from "../../../kube/tunnel-protocol-channels.ts";
import type { AgentStream } from "../../tunnel/stream.ts";
import { StdioDemuxer } from "./logs.ts";

export interface Interactive {
  /** The hijacked connection (NodeJS.ReadWriteStream in dockerode's types; a socket in fact). */
  io: Duplex;
  tty: boolean;
  /** Sets the terminal's size (exec resize or container resize). */
  resize(size: { width: number; height: number }): Promise<unknown>;
}

const withChannel = (channel: number, data: Buffer) => Buffer.concat([Buffer.from([channel]), data]);

/** Routes one message from the stream: stdin to the process, a resize to the terminal, a close of stdin. */
export function inbound(bytes: Uint8Array, session: Interactive, consumed: () => void): void {
  const data = Buffer.from(bytes.subarray(1));
  if (bytes[0] === Channel.stdin) {
    session.io.write(data, consumed);
    return;
  }
  consumed();
  const size = bytes[0] === Channel.resize ? parseResize(data) : undefined;
  if (size) void session.resize(size).catch(() => {});
  if (bytes[0] === Channel.close && data[0] === Channel.stdin) session.io.end();
}

/** The process's output as channel messages: demultiplexed, or all stdout for a terminal. */
export function outputParts(demux: StdioDemuxer | undefined, chunk: Buffer): Buffer[] {
  if (!demux) return [withChannel(Channel.stdout, chunk)];
  return demux.push(chunk).map((p) => withChannel(p.stream === 2 ? Channel.stderr : Channel.stdout, p.data));
}

/**
 * Accepts the stream and pumps until the process's output ends (true) or the stream ends first (false:
 * the client went away; the connection to Docker is dropped, which detaches without stopping anything).
 */
export async function pumpInteractive(stream: AgentStream, session: Interactive): Promise<boolean> {
  const { io } = session;
  stream.onData = (bytes) => inbound(bytes, session, () => stream.consumed(bytes.byteLength));
  stream.accept();
  const hangUp = () => io.destroy();
  stream.signal.addEventListener("abort", hangUp);
  const demux = session.tty ? undefined : new StdioDemuxer();
  try {
    for await (const chunk of io as AsyncIterable<Buffer>)
      for (const part of outputParts(demux, chunk)) if (!(await stream.write(part))) return false;
    return !stream.signal.aborted;
  } catch {
    // A destroyed connection (the client left) ends the iteration with an error.
    return false;
  } finally {
    stream.signal.removeEventListener("abort", hangUp);
  }
}
