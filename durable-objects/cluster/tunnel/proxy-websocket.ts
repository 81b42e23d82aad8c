// WebSocket upgrades through pods/proxy and services/proxy: the agent opens a WebSocket to the pod (a
// refused connection passes to the next endpoint, as an HTTP request does), and once the pod completed its
// handshake the client's upgrade is accepted with the subprotocol the pod chose. Messages then travel the
// tunnel stream in kube/ws-relay.ts framing, each direction within the stream's credit.
import {
  closePayload,
  encodeRelayMessage,
  type RelayHandshake,
  type RelayMessage,
  RelayParser,
  RelayType,
  readClose,
  relayText,
} from "../../../kube/ws-relay.ts";
import type { WebSocketOpen } from "../../../kube/tunnel-protocol.ts";
import { StatusError } from "../../../kube/status.ts";
import type { TunnelHub } from "./hub.ts";
import { acceptClientSocket, closeQuietly } from "./client-socket.ts";
import { openFirstReachable } from "./open.ts";
import { forwardedHeaders } from "./proxy-http.ts";
import type { ProxyScheme, ProxyTarget } from "./proxy-target.ts";
import type { StreamReader } from "./reader.ts";
import { OVERFLOW, ToNode } from "./to-node.ts";

/** The client's handshake headers: the agent makes its own handshake with the pod (no extensions it cannot speak). */
const HANDSHAKE_HEADERS = new Set([
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-accept",
]);

export const isWebSocketUpgrade = (request: Request) => request.headers.get("upgrade")?.toLowerCase() === "websocket";

export function webSocketOpen(target: ProxyTarget, scheme: ProxyScheme, request: Request, path: string): WebSocketOpen {
  return {
    kind: "websocket",
    scheme,
    host: target.ip,
    port: target.port,
    path,
    headers: forwardedHeaders(request.headers).filter(([name]) => !HANDSHAKE_HEADERS.has(name)),
  };
}

/** Tries the targets in order until one's pod takes the WebSocket; only a failure to connect passes on. */
export async function forwardWebSocket(
  hub: TunnelHub,
  targets: ProxyTarget[],
  scheme: ProxyScheme,
  request: Request,
  path: string,
): Promise<Response> {
  const reader = await openFirstReachable(hub, targets, (target) => webSocketOpen(target, scheme, request, path));
  return acceptRelay(reader);
}

async function acceptRelay(reader: StreamReader): Promise<Response> {
  const parser = new RelayParser();
  const { handshake, rest } = await readHandshake(reader, parser).catch((error: Error) => {
    reader.stream.close();
    throw new StatusError(503, "ServiceUnavailable", `error trying to reach service: ${error.message}`);
  });
  const { socket, response } = acceptClientSocket(handshake.protocol);
  relay(socket, reader, parser, rest);
  return response;
}

/** The agent's first message; any that came in the same bytes are kept for the client. */
async function readHandshake(
  reader: StreamReader,
  parser: RelayParser,
): Promise<{ handshake: RelayHandshake; rest: RelayMessage[] }> {
  for (;;) {
    const next = await reader.next();
    if (!(next instanceof Uint8Array))
      throw new Error("error" in next ? next.error.message : "the stream ended before the WebSocket handshake");
    const [first, ...rest] = parser.push(next);
    if (!first) continue;
    if (first.type !== RelayType.handshake) throw new Error("the node did not send the WebSocket handshake");
    return { handshake: JSON.parse(relayText(first.payload)) as RelayHandshake, rest };
  }
}

/** Codes a server may send in a close frame (1005, 1006 and 1015 are for reporting only). */
export function sendableCloseCode(code: number | undefined): number {
  if (code === undefined) return 1000;
  const valid = (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
  return valid ? code : 1000;
}

function relay(socket: WebSocket, reader: StreamReader, parser: RelayParser, first: RelayMessage[]): void {
  const stream = reader.stream;
  const writer = new ToNode(stream, { batch: true, overflow: () => closeQuietly(socket, 1008, OVERFLOW) });
  const toNode = (type: RelayType, payload: Uint8Array | string) => writer.push(encodeRelayMessage(type, payload));
  socket.addEventListener("message", (event) => {
    const data = event.data;
    if (typeof data === "string") toNode(RelayType.text, data);
    else toNode(RelayType.binary, new Uint8Array(data as ArrayBuffer));
  });
  socket.addEventListener("close", (event) => {
    toNode(RelayType.close, closePayload(event.code === 1005 ? undefined : event.code, event.reason));
    writer.end();
  });
  socket.addEventListener("error", () => stream.close());
  void (async () => {
    let pending = first;
    for (;;) {
      for (const message of pending) if (!toClient(socket, message)) return stream.close();
      const next = await reader.next();
      if (!(next instanceof Uint8Array)) return closeQuietly(socket, "error" in next ? 1011 : 1000, "");
      try {
        pending = parser.push(next);
      } catch {
        stream.close();
        return closeQuietly(socket, 1011, "bad relay");
      }
    }
  })();
}

/** Passes one message on; false once the client is gone or the pod closed. */
function toClient(socket: WebSocket, message: RelayMessage): boolean {
  try {
    if (message.type === RelayType.text) socket.send(relayText(message.payload));
    else if (message.type === RelayType.binary) socket.send(message.payload);
    else if (message.type === RelayType.close) {
      const { code, reason } = readClose(message.payload);
      socket.close(sendableCloseCode(code), reason);
      return false;
    }
    return true;
  } catch {
    return false;
  }
}
