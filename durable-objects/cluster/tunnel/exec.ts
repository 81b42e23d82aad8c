// pods/exec over WebSockets (kubectl ≥ 1.30): the apiserver's checks as an HTTP Status before the upgrade,
// then the client's socket relayed to a tunnel stream on the pod's node. Channel messages pass through as
// they are (the tunnel's exec data uses the same channel bytes); the end becomes the error channel's Status.
import type { Pod } from "../../../kube/pod-types.ts";
import { badRequest, notFound } from "../../../kube/status.ts";
import {
  chooseChannelProtocol,
  errorChannelMessage,
  exitStatus,
  failureStatus,
} from "../../../kube/tunnel-protocol-channels.ts";
import type { CloseInfo } from "../../../kube/tunnel-protocol.ts";
import type { ApiContext } from "../api/context.ts";
import type { TunnelHub } from "./hub.ts";
import { logContainerName, stripScheme } from "./log-target.ts";
import { openAccepted } from "./open.ts";
import type { StreamReader } from "./reader.ts";

const TRUE = new Set(["true", "1", "t", "T", "TRUE", "True"]);

export interface ExecParams {
  command: string[];
  container?: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseExecParams(params: URLSearchParams): ExecParams {
  const flag = (name: string) => TRUE.has(params.get(name) ?? "");
  const exec = {
    command: params.getAll("command"),
    container: params.get("container") || undefined,
    stdin: flag("stdin"),
    stdout: flag("stdout"),
    stderr: flag("stderr"),
    tty: flag("tty"),
  };
  if (exec.command.length === 0) throw badRequest("you must specify at least 1 command");
  if (!exec.stdin && !exec.stdout && !exec.stderr)
    throw badRequest("you must specify at least 1 of stdin, stdout, stderr");
  return exec;
}

/** The running container's runtime id, as the kubelet finds it. */
function runningContainerID(pod: Pod, container: string): string {
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
    (s) => s.name === container,
  );
  if (!status?.state?.running || !status.containerID) throw badRequest(`container not found ("${container}")`);
  return stripScheme(status.containerID);
}

export async function podExec(
  ctx: ApiContext,
  hub: TunnelHub,
  namespace: string,
  name: string,
  request: Request,
): Promise<Response> {
  const pod = ctx.store.get("pods", namespace, name)?.object as unknown as Pod | undefined;
  if (!pod) throw notFound("", "pods", name);
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
    throw badRequest("Upgrade request required: exec is served over WebSockets (kubectl 1.30 or newer)");
  const protocol = chooseChannelProtocol(request.headers.get("sec-websocket-protocol"));
  if (!protocol) throw badRequest("exec needs the v5.channel.k8s.io or v4.channel.k8s.io WebSocket protocol");
  const params = parseExecParams(new URL(request.url).searchParams);
  const container = logContainerName(pod, params.container);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed")
    throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  const containerID = runningContainerID(pod, container);
  const { command, stdin, stdout, stderr, tty } = params;
  const reader = await openAccepted(hub, node, { kind: "exec", containerID, command, stdin, stdout, stderr, tty });
  const pair = new WebSocketPair();
  const server = pair[1];
  server.accept();
  // The standard default is Blob; channel bytes are read synchronously, in order.
  server.binaryType = "arraybuffer";
  relay(server, reader, command);
  return new Response(null, { status: 101, webSocket: pair[0], headers: { "sec-websocket-protocol": protocol } });
}

/** Client → node: stdin, resize and channel closes in order; node → client: output, then the Status. */
function relay(socket: WebSocket, reader: StreamReader, command: string[]): void {
  const stream = reader.stream;
  let sending = Promise.resolve(true);
  socket.addEventListener("message", (event) => {
    const data = event.data;
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data as ArrayBuffer);
    if (bytes.byteLength === 0) return;
    sending = sending.then(() => stream.write(bytes));
  });
  const hangUp = () => stream.close();
  socket.addEventListener("close", hangUp);
  socket.addEventListener("error", hangUp);
  void (async () => {
    for (;;) {
      const next = await reader.next();
      if (next instanceof Uint8Array) {
        if (!trySend(socket, next)) return stream.close();
        continue;
      }
      const status =
        "error" in next
          ? failureStatus(next.error.message)
          : exitStatus((next.closed as CloseInfo).exitCode ?? 0, command);
      trySend(socket, errorChannelMessage(status));
      try {
        socket.close(1000, "");
      } catch {
        // the client already went away
      }
      return;
    }
  })();
}

function trySend(socket: WebSocket, bytes: Uint8Array): boolean {
  try {
    socket.send(bytes);
    return true;
  } catch {
    return false;
  }
}
