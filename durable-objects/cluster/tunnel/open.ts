// Opening a stream to a pod's node and waiting until the agent took it up: its refusal becomes the
// request's Status (the agent words it), and an agent that never answers costs the client a 504, not a hang.
import type { OpenRequest } from "../../../kube/tunnel-protocol.ts";
import { StatusError } from "../../../kube/status.ts";
import type { TunnelHub } from "./hub.ts";
import { StreamReader } from "./reader.ts";

/** How long an agent may take to answer an open (pulling nothing, this is a container lookup). */
const ACCEPT_TIMEOUT_MS = 20_000;

const REASONS: Record<number, string> = { 400: "BadRequest", 404: "NotFound", 503: "ServiceUnavailable" };

/** `opened` runs before the wait, for requests that send data the agent needs before it can accept (proxy bodies). */
export async function openAccepted(
  hub: TunnelHub,
  node: string,
  request: OpenRequest,
  opened?: (reader: StreamReader) => void,
): Promise<StreamReader> {
  const reader = new StreamReader(hub.open(node, request));
  opened?.(reader);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">(
    (resolve) => (timer = setTimeout(() => resolve("timeout"), ACCEPT_TIMEOUT_MS)),
  );
  const first = await Promise.race([reader.accepted, timeout]);
  if (timer !== undefined) clearTimeout(timer);
  if (first === "timeout") {
    reader.stream.close();
    throw new StatusError(504, "Timeout", `node "${node}" did not answer the ${request.kind} request in time`);
  }
  if (first && "error" in first) {
    const code = first.error.code ?? 500;
    throw new StatusError(code, REASONS[code] ?? "InternalError", first.error.message);
  }
  return reader;
}

/**
 * Opens the request on each target's node in turn until one accepts. Only "could not connect" (503) passes
 * on to the next target: any other refusal is the answer, since a pod that took the request may have acted.
 */
export async function openFirstReachable<T extends { node: string }>(
  hub: TunnelHub,
  targets: T[],
  request: (target: T) => OpenRequest,
  opened?: (reader: StreamReader) => void,
): Promise<StreamReader> {
  let failure: unknown;
  for (const target of targets) {
    try {
      return await openAccepted(hub, target.node, request(target), opened);
    } catch (error) {
      if (!(error instanceof StatusError) || error.code !== 503) throw error;
      failure = error;
    }
  }
  throw failure;
}
