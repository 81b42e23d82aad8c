// What pods/exec and pods/attach share: the apiserver's checks before the upgrade (WebSocket with a channel
// protocol, a running container on a node), the stdio flags, and the relay of the client's socket to a
// tunnel stream. Channel messages pass through as they are (the tunnel uses the same channel bytes); the
// stream's end becomes the error channel's Status.
import { allContainerStatuses } from "../../../kube/pod-containers.ts";
import type { Pod } from "../../../kube/pod-types.ts";
import { badRequest, notFound, StatusError } from "../../../kube/status.ts";
import {
  type ChannelStatus,
  chooseChannelProtocol,
  errorChannelMessage,
} from "../../../kube/tunnel-protocol-channels.ts";
import type { OpenRequest } from "../../../kube/tunnel-protocol.ts";
import type { ApiContext } from "../context.ts";
import { acceptClientSocket, closeQuietly, messageBytes, pipeToClient, trySend } from "./client-socket.ts";
import type { StreamEnd, TunnelHub } from "./hub.ts";
import { logContainerName, stripScheme } from "./log-target.ts";
import { openAccepted } from "./open.ts";
import type { StreamReader } from "./reader.ts";
import { OVERFLOW, ToNode } from "./to-node.ts";

/** kubectl's wording for the verbs ("exec into", "attach"). */
const COMPLETED: Record<string, string> = { exec: "exec into" };

const TRUE = new Set(["true", "1", "t", "T", "TRUE", "True"]);

export interface StdioParams {
  container?: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The stdio flags and container both subresources take (upstream's PodExecOptions/PodAttachOptions). */
export function parseStdioParams(params: URLSearchParams): StdioParams {
  const flag = (name: string) => TRUE.has(params.get(name) ?? "");
  const stdio = {
    container: params.get("container") || undefined,
    stdin: flag("stdin"),
    stdout: flag("stdout"),
    stderr: flag("stderr"),
    tty: flag("tty"),
  };
  if (!stdio.stdin && !stdio.stdout && !stdio.stderr)
    throw badRequest("you must specify at least 1 of stdin, stdout, stderr");
  return stdio;
}

/** The pod, its node and the running container a stream goes to, as the kubelet finds them. */
export interface InteractiveTarget {
  node: string;
  container: string;
  containerID: string;
}

/** The pod a stream is for (404 before anything else, as upstream). */
export function interactivePod(ctx: ApiContext, namespace: string, name: string): Pod {
  const pod = ctx.store.get("pods", namespace, name)?.object as unknown as Pod | undefined;
  if (!pod) throw notFound("", "pods", name);
  return pod;
}

/**
 * The channel protocol of a WebSocket upgrade. Checked after the pod, its parameters and its container:
 * kubectl ≥ 1.30 falls back to SPDY when the WebSocket upgrade is answered with an error, and then shows
 * the error its SPDY request gets, so that one must carry the real reason wherever there is one.
 */
export function webSocketProtocol(verb: string, request: Request): string {
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
    throw badRequest(`Upgrade request required: ${verb} is served over WebSockets (kubectl 1.30 or newer)`);
  const protocol = chooseChannelProtocol(request.headers.get("sec-websocket-protocol"));
  if (!protocol) throw badRequest(`${verb} needs the v5.channel.k8s.io or v4.channel.k8s.io WebSocket protocol`);
  return protocol;
}

/** The container (named, or the only one), which must be running on a node. */
export function interactiveTarget(pod: Pod, verb: string, container?: string): InteractiveTarget {
  const name = logContainerName(pod, container);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed")
    throw badRequest(`cannot ${COMPLETED[verb] ?? verb} a container in a completed pod; current phase is ${phase}`);
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  return { node, container: name, containerID: runningContainerID(pod, name) };
}

function runningContainerID(pod: Pod, container: string): string {
  const status = allContainerStatuses(pod).find((s) => s.name === container);
  if (!status?.state?.running || !status.containerID) throw badRequest(`container not found ("${container}")`);
  return stripScheme(status.containerID);
}

/**
 * Opens the stream (the agent's refusal is the request's Status), then answers 101 and relays; `endStatus`
 * words how the stream ended on the error channel.
 */
export async function openInteractive(
  hub: TunnelHub,
  node: string,
  protocol: string,
  open: OpenRequest,
  endStatus: (end: StreamEnd) => ChannelStatus,
): Promise<Response> {
  let reader: StreamReader;
  try {
    reader = await openAccepted(hub, node, open);
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    return refuseOnErrorChannel(protocol, error);
  }
  const { socket, response } = acceptClientSocket(protocol);
  relay(socket, reader, endStatus);
  return response;
}

/**
 * The node refused the stream (it serves no exec, it is not connected, it did not answer): the upgrade is
 * accepted and the Status sent on the error channel before the close, as the kubelet's streaming server
 * reports its failures — kubectl prints the message and exits 1. Refused with an HTTP error instead, the
 * upgrade would fail and kubectl fall back to SPDY, which cannot reach Workers, and show that error.
 */
function refuseOnErrorChannel(protocol: string, error: StatusError): Response {
  const { socket, response } = acceptClientSocket(protocol);
  trySend(socket, errorChannelMessage(error.toStatus()));
  closeQuietly(socket);
  return response;
}

/** Client → node: stdin, resize and channel closes in order; node → client: output, then the Status. */
function relay(socket: WebSocket, reader: StreamReader, endStatus: (end: StreamEnd) => ChannelStatus): void {
  // Each message is one channel's data: never joined.
  const toNode = new ToNode(reader.stream, { batch: false, overflow: () => closeQuietly(socket, 1008, OVERFLOW) });
  socket.addEventListener("message", (event) => toNode.push(messageBytes(event.data)));
  socket.addEventListener("close", () => toNode.end());
  socket.addEventListener("error", () => reader.stream.close());
  void pipeToClient(reader, socket).then((end) => {
    if (!end) return;
    trySend(socket, errorChannelMessage(endStatus(end)));
    closeQuietly(socket);
  });
}
