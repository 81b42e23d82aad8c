// GET <cluster>/agent/tunnel: a node's agent opens its tunnel with its node credential (checked as sync
// checks it; its hash is kept on the socket for the syncs it carries). The socket is accepted with the hibernation API, tagged with the node's name and a connection
// tag, so the object finds it again after hibernating and an idle tunnel does not keep the object awake.
import { TUNNEL_PING, TUNNEL_PONG } from "../../../kube/tunnel-protocol.ts";
import { badRequest, notFound, unauthorized } from "../../../kube/status.ts";
import type { ApiContext } from "../context.ts";
import { type Credentials, sha256Hex } from "../auth/credentials.ts";
import { newConnectionTag, type TunnelHub } from "./hub.ts";

const bearer = (header: string | null) => /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1].trim() ?? "";

/** What a tunnel socket keeps across hibernation besides its tags. */
export interface TunnelAttachment {
  /** SHA-256 of the node credential the tunnel was opened with. */
  credentialHash: string;
}

/** Hashes already read off their sockets: every sync on a tunnel asks, the attachment is decoded once per socket. */
const readHashes = new WeakMap<WebSocket, string | undefined>();

/** The credential hash a tunnel was opened with; none for a socket accepted before tunnels carried syncs. */
export function tunnelCredentialHash(socket: WebSocket): string | undefined {
  if (readHashes.has(socket)) return readHashes.get(socket);
  let hash: string | undefined;
  try {
    const attachment = socket.deserializeAttachment() as Partial<TunnelAttachment> | null;
    hash = typeof attachment?.credentialHash === "string" ? attachment.credentialHash : undefined;
  } catch {
    hash = undefined;
  }
  readHashes.set(socket, hash);
  return hash;
}

export async function acceptTunnel(
  request: Request,
  ctx: ApiContext,
  credentials: Credentials,
  state: DurableObjectState,
  hub: TunnelHub,
): Promise<Response> {
  const token = bearer(request.headers.get("authorization"));
  const hash = token ? await sha256Hex(token) : "";
  const credential = hash ? credentials.byHash(hash, ctx.now()) : undefined;
  if (credential?.role !== "node" || !credential.subject) throw unauthorized();
  const node = credential.subject;
  if (!ctx.store.get("nodes", undefined, node)) throw notFound("", "nodes", node);
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
    throw badRequest("the tunnel is a WebSocket: send Upgrade: websocket");
  // The agent's keep-alive pings are answered by the runtime without waking a hibernating object.
  state.setWebSocketAutoResponse(new WebSocketRequestResponsePair(TUNNEL_PING, TUNNEL_PONG));
  const previous = state.getWebSockets(node);
  const pair = new WebSocketPair();
  state.acceptWebSocket(pair[1], [node, newConnectionTag()]);
  // Syncs on the tunnel check this hash again each time (revoked or replaced by a re-join: refused at once).
  pair[1].serializeAttachment({ credentialHash: hash } satisfies TunnelAttachment);
  // A reconnecting agent replaces its old socket (half-dead after a network drop).
  for (const old of previous) hub.onClose(old);
  return new Response(null, { status: 101, webSocket: pair[0] });
}
