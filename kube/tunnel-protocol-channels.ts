// Kubernetes' WebSocket channel protocol for exec and attach (kubectl ≥ 1.30): every binary message starts
// with its channel byte (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize); v5 adds 255 + channel to close one
// channel (stdin at EOF). The error channel carries one Status: Success, or the exit code as upstream's
// remotecommand reports it (reason NonZeroExitCode, cause ExitCode with the code as its message).
import { Channel } from "./tunnel-protocol.ts";
import type { Status } from "./types.ts";

/** Upstream leaves `code` out of the statuses it sends on the error channel. */
export type ChannelStatus = Omit<Status, "code"> & { code?: number };

export const CHANNEL_PROTOCOL_V5 = "v5.channel.k8s.io";
export const CHANNEL_PROTOCOL_V4 = "v4.channel.k8s.io";
/** Newest first: the one chosen when a client offers several. */
export const CHANNEL_PROTOCOLS = [CHANNEL_PROTOCOL_V5, CHANNEL_PROTOCOL_V4];

/** The protocol to answer with, from a Sec-WebSocket-Protocol request header; undefined when none fits. */
export function chooseChannelProtocol(header: string | null): string | undefined {
  const offered = new Set(
    (header ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  );
  return CHANNEL_PROTOCOLS.find((p) => offered.has(p));
}

export function channelMessage(channel: number, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const out = new Uint8Array(bytes.byteLength + 1);
  out[0] = channel;
  out.set(bytes, 1);
  return out;
}

/** The Status sent on the error channel when a command ends (exit code 0: Success). */
export function exitStatus(exitCode: number, command: string[]): ChannelStatus {
  if (exitCode === 0) return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" };
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

/** The Status sent on the error channel when the stream itself failed. */
export function failureStatus(message: string): ChannelStatus {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason: "InternalError",
    code: 500,
  };
}

export const errorChannelMessage = (status: ChannelStatus) => channelMessage(Channel.error, JSON.stringify(status));

/** A resize message's size ({"Width":80,"Height":24}), or undefined when it is not one. */
export function parseResize(data: Uint8Array): { width: number; height: number } | undefined {
  try {
    const size = JSON.parse(new TextDecoder().decode(data)) as { Width?: unknown; Height?: unknown };
    if (typeof size.Width !== "number" || typeof size.Height !== "number") return undefined;
    return { width: size.Width, height: size.Height };
  } catch {
    return undefined;
  }
}
