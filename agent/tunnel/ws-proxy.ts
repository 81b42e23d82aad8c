// The agent's end of a WebSocket upgrade through pods/proxy or services/proxy: a WebSocket from this host
// to the pod (ws-client.ts), accepted only once the pod completed the handshake (a refused connection is a
// 503 before anything was sent, so the object can try another endpoint), then messages relayed both ways
// in kube/ws-relay.ts framing, the first one out being the handshake with the pod's chosen subprotocol.
import {
  closePayload,
  encodeRelayMessage,
  type RelayMessage,
  RelayParser,
  RelayType,
  readClose,
  relayText,
} from "../../kube/ws-relay.ts";
import type { OpenRequest, WebSocketOpen } from "../../kube/tunnel-protocol.ts";
import { ApiError, UnreachableError } from "../client.ts";
import type { StreamHandler } from "./client.ts";
import { dialError } from "./http-proxy.ts";
import { type AgentStream, StreamError } from "./stream.ts";
import { connectWebSocket, type WsConnection } from "./ws-client.ts";

/** How long a pod may take to complete the handshake. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

const ERRNO = /\b(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)\b/;

/** The URL the agent dials: the pod's address over plain HTTP(S) (the upgrade happens on it). */
export function podUrl(req: WebSocketOpen): string {
  const host = req.host.includes(":") ? `[${req.host}]` : req.host;
  return `${req.scheme}://${host}:${req.port}${req.path.startsWith("/") ? "" : "/"}${req.path}`;
}

/** A failed handshake as the Status code and message the object answers with. */
export function handshakeError(req: WebSocketOpen, error: unknown): StreamError {
  if (error instanceof ApiError)
    return new StreamError(
      error.code >= 400 ? error.code : 502,
      `the pod did not accept the WebSocket: ${error.message}`,
    );
  const message = (error as Error).message;
  const code = ERRNO.exec(message)?.[1];
  if (error instanceof UnreachableError && code)
    return new StreamError(503, dialError(req.host, req.port, Object.assign(new Error(message), { code })));
  return new StreamError(502, `error trying to reach service: ${message}`);
}

export function wsProxyHandler(): StreamHandler {
  return async (open: OpenRequest, stream: AgentStream) => {
    const req = open as WebSocketOpen;
    let pod: WsConnection;
    try {
      pod = await connectWebSocket(podUrl(req), {
        headers: Object.fromEntries(req.headers),
        insecureSkipTlsVerify: true,
        timeoutMs: HANDSHAKE_TIMEOUT_MS,
      });
    } catch (error) {
      throw handshakeError(req, error);
    }
    stream.accept();
    await relay(stream, pod);
    return {};
  };
}

/** Relays until either side closes; the other side then learns the close code and reason. */
function relay(stream: AgentStream, pod: WsConnection): Promise<void> {
  let out = stream.write(encodeRelayMessage(RelayType.handshake, JSON.stringify({ protocol: pod.protocol })));
  const forward = (type: RelayType, payload: Uint8Array | string) => {
    out = out.then((ok) => ok && stream.write(encodeRelayMessage(type, payload)));
  };
  const parser = new RelayParser();
  stream.onData = (bytes) => {
    let messages: RelayMessage[];
    try {
      messages = parser.push(bytes);
    } catch {
      pod.close(1002, "bad relay");
      return;
    }
    for (const message of messages) toPod(pod, message);
    stream.consumed(bytes.byteLength);
  };
  return new Promise((resolve) => {
    pod.onMessage = (data, binary) =>
      forward(binary ? RelayType.binary : RelayType.text, binary ? data : data.toString("utf8"));
    pod.onClose = () => {
      forward(RelayType.close, closePayload(pod.closeCode, pod.closeReason));
      void out.then(() => resolve());
    };
    stream.signal.addEventListener("abort", () => pod.close(1001, "the client went away"), { once: true });
  });
}

function toPod(pod: WsConnection, message: RelayMessage): void {
  if (message.type === RelayType.text) pod.send(relayText(message.payload));
  else if (message.type === RelayType.binary) pod.send(message.payload);
  else if (message.type === RelayType.close) {
    const { code, reason } = readClose(message.payload);
    pod.close(code ?? 1000, reason);
  }
}
