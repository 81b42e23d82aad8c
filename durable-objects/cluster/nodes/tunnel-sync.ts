// Syncs carried on a node's tunnel (kube/tunnel-protocol.ts, `sync` frames): one WebSocket message each way
// instead of an HTTP request through the Worker per heartbeat, and no hashing of the bearer token per sync.
// Each sync is still authorized as the HTTP one is: the credential the tunnel was opened with is looked up
// again by its hash (revoked, expired or replaced by a re-join: refused at once), it must be a node's, and
// the node must be the socket's own and still exist. One long-poll per tunnel: a newer sync of the node
// releases the older one's wait (NodeAgents does, for HTTP polls too) and only the newest answer is sent
// (the agent gave up on the older, as it aborts an HTTP poll). Syncs wait their turn in a TurnQueue, so that
// users' requests are not queued behind every busy node's.
import { encodeFrame, FrameType, jsonPayload } from "../../../kube/tunnel-protocol.ts";
import { badRequest, StatusError, tooLarge, unauthorized } from "../../../kube/status.ts";
import type { Credential } from "../auth/credentials.ts";
import type { AgentSyncHandler, TunnelSocket } from "../tunnel/hub.ts";
import type { NodeAgents } from "./agents.ts";
import { MAX_AGENT_BODY_BYTES } from "./routes.ts";
import { TurnQueue } from "./turn-queue.ts";

/** Syncs run per turn of the event loop: a few milliseconds of work each, so a turn stays in tens of them. */
export const SYNCS_PER_TURN = 8;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function parseFrame(payload: Uint8Array): unknown {
  if (payload.byteLength > MAX_AGENT_BODY_BYTES)
    throw tooLarge(`Request entity too large: limit is ${MAX_AGENT_BODY_BYTES}`);
  try {
    return JSON.parse(decoder.decode(payload));
  } catch {
    throw badRequest("a sync frame must carry a JSON sync request");
  }
}

export function syncOverTunnel(
  agents: NodeAgents,
  /** The credential a socket was opened with, as it stands now (undefined once revoked). */
  credentialOf: (socket: TunnelSocket) => Credential | undefined,
  queue = new TurnQueue(SYNCS_PER_TURN),
): AgentSyncHandler {
  /** The newest sync id each socket sent: an answer to any other is dropped. */
  const newest = new WeakMap<TunnelSocket, number>();
  return (socket, node, id, payload) => {
    // The agent numbers its syncs upwards: one older than the newest seen is stale already (it gave up on it).
    if (id < (newest.get(socket) ?? -1)) return;
    newest.set(socket, id);
    queue.push(() => {
      // A newer sync of this socket arrived while this one waited: the agent reads only that one's answer.
      if (newest.get(socket) === id) send(socket, id, answer(socket, node, id, payload));
    });
  };

  function send(socket: TunnelSocket, id: number, frame: Promise<Uint8Array>): void {
    void frame.then((bytes) => {
      if (newest.get(socket) !== id) return;
      try {
        socket.send(bytes);
      } catch {
        // the tunnel closed meanwhile: the agent resends on its next connection (or over HTTP)
      }
    });
  }

  async function answer(socket: TunnelSocket, node: string, id: number, payload: Uint8Array): Promise<Uint8Array> {
    try {
      const credential = credentialOf(socket);
      // The socket's node tag came from the same credential; a mismatch means it is not that node's any more.
      if (credential?.subject !== node) throw unauthorized();
      const response = await agents.syncAs(credential, parseFrame(payload));
      return encodeFrame(FrameType.sync, id, encoder.encode(JSON.stringify(response)));
    } catch (error) {
      const status =
        error instanceof StatusError
          ? error
          : new StatusError(500, "InternalError", `sync failed: ${(error as Error).message}`);
      if (!(error instanceof StatusError)) console.error("sync over tunnel failed", error);
      return encodeFrame(FrameType.syncError, id, jsonPayload(status.toStatus()));
    }
  }
}
