// pods/portforward (kubectl ≥ 1.31, or 1.30 with KUBECTL_PORT_FORWARD_WEBSOCKETS=true): a WebSocket with the
// SPDY/3.1+portforward.k8s.io subprotocol whose binary messages carry kubectl's SPDY byte stream (message
// boundaries mean nothing). The object does not parse SPDY: after the apiserver's checks it opens a
// portforward stream to the pod's node and relays bytes both ways; the agent terminates SPDY and dials
// the pod's IP. SPDY upgrades (kubectl ≤ 1.30's default) cannot pass through Workers and get a 400.
import type { Pod } from "../../../kube/pod-types.ts";
import { badRequest, notFound } from "../../../kube/status.ts";
import type { ApiContext } from "../context.ts";
import { acceptClientSocket, closeQuietly, messageBytes, pipeToClient } from "./client-socket.ts";
import type { TunnelHub } from "./hub.ts";
import { openAccepted } from "./open.ts";
import { isProxyableIP } from "./proxy-target.ts";
import type { StreamReader } from "./reader.ts";
import { OVERFLOW, ToNode } from "./to-node.ts";

/** client-go's tunnelling prefix + portforward.k8s.io (tools/portforward/tunneling_dialer.go). */
export const PORT_FORWARD_PROTOCOL = "SPDY/3.1+portforward.k8s.io";

export const SPDY_UNSUPPORTED =
  "port-forward needs kubectl 1.31 or newer (or KUBECTL_PORT_FORWARD_WEBSOCKETS=true with kubectl 1.30): " +
  "this server accepts port-forward over WebSockets only, not SPDY upgrades";

/** Upstream's PodPortForwardOptions: each `ports` value must be a port number. */
function checkPorts(params: URLSearchParams): void {
  for (const port of params.getAll("ports")) {
    const n = /^\d+$/.test(port) ? Number(port) : Number.NaN;
    if (!(n >= 1 && n <= 65535)) throw badRequest(`unable to parse "${port}" as a port`);
  }
}

/** The pod to forward to: it exists, is on a node, and runs (kubectl checks the last one itself too). */
function forwardTarget(ctx: ApiContext, namespace: string, name: string): { pod: Pod; node: string } {
  const pod = ctx.store.get("pods", namespace, name)?.object as unknown as Pod | undefined;
  if (!pod) throw notFound("", "pods", name);
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  const phase = pod.status?.phase;
  if (phase !== "Running")
    throw badRequest(`unable to forward port because pod is not running. Current status=${phase ?? ""}`);
  return { pod, node };
}

const offered = (header: string | null) => (header ?? "").split(",").map((p) => p.trim());

export async function podPortForward(
  ctx: ApiContext,
  hub: TunnelHub,
  namespace: string,
  name: string,
  request: Request,
): Promise<Response> {
  const { pod, node } = forwardTarget(ctx, namespace, name);
  checkPorts(new URL(request.url).searchParams);
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") throw badRequest(SPDY_UNSUPPORTED);
  if (!offered(request.headers.get("sec-websocket-protocol")).includes(PORT_FORWARD_PROTOCOL))
    throw badRequest(`port-forward needs the ${PORT_FORWARD_PROTOCOL} WebSocket protocol`);
  const podIP = pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP;
  if (!podIP) throw badRequest(`pod ${name} does not have an IP address yet`);
  // The agent dials from its host: a status naming the host's loopback or link-local (metadata) addresses
  // must not reach them, as the proxy refuses them too.
  if (!isProxyableIP(podIP)) throw badRequest("address not allowed");
  const reader = await openAccepted(hub, node, {
    kind: "portforward",
    podIP,
    pod: name,
    uid: pod.metadata.uid ?? "",
  });
  const { socket, response } = acceptClientSocket(PORT_FORWARD_PROTOCOL);
  relayBytes(socket, reader);
  return response;
}

/**
 * Client → node: messages are bytes of one stream, so those that arrive while a write waits for credit go
 * out together (Go's framer writes each field of a frame as a message of its own). Node → client: each
 * chunk as a message; the stream's end closes the socket (1000, or 1011 with the agent's reason).
 */
function relayBytes(socket: WebSocket, reader: StreamReader): void {
  const toNode = new ToNode(reader.stream, { batch: true, overflow: () => closeQuietly(socket, 1008, OVERFLOW) });
  socket.addEventListener("message", (event) => toNode.push(messageBytes(event.data)));
  // What the client sent before it closed still goes out (its GOAWAY, a last FIN) before the stream ends.
  socket.addEventListener("close", () => toNode.end());
  socket.addEventListener("error", () => toNode.end());
  void pipeToClient(reader, socket).then((end) => {
    // A close reason is limited to 123 bytes.
    if (end) closeQuietly(socket, "error" in end ? 1011 : 1000, "error" in end ? end.error.message.slice(0, 120) : "");
  });
}
