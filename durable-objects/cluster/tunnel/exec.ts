// pods/exec over WebSockets (kubectl ≥ 1.30): the apiserver's checks as an HTTP Status before the upgrade,
// then the client's socket relayed to an exec stream on the pod's node (interactive.ts); the command's end
// becomes the error channel's Status with its exit code, and so does the node's refusal.
import { badRequest } from "../../../kube/status.ts";
import { exitStatus, failureStatus } from "../../../kube/tunnel-protocol-channels.ts";
import type { ApiContext } from "../context.ts";
import type { TunnelHub } from "./hub.ts";
import {
  interactivePod,
  interactiveTarget,
  openInteractive,
  parseStdioParams,
  type StdioParams,
  webSocketProtocol,
} from "./interactive.ts";

export interface ExecParams extends StdioParams {
  command: string[];
}

export function parseExecParams(params: URLSearchParams): ExecParams {
  const command = params.getAll("command");
  if (command.length === 0) throw badRequest("you must specify at least 1 command");
  return { command, ...parseStdioParams(params) };
}

export async function podExec(
  ctx: ApiContext,
  hub: TunnelHub,
  namespace: string,
  name: string,
  request: Request,
): Promise<Response> {
  const pod = interactivePod(ctx, namespace, name);
  const params = parseExecParams(new URL(request.url).searchParams);
  const { node, containerID } = interactiveTarget(pod, "exec", params.container);
  const protocol = webSocketProtocol("exec", request);
  const { command, stdin, stdout, stderr, tty } = params;
  const open = { kind: "exec", containerID, command, stdin, stdout, stderr, tty } as const;
  return openInteractive(hub, node, protocol, open, (end) =>
    "error" in end ? failureStatus(end.error.message) : exitStatus(end.closed.exitCode ?? 0, command),
  );
}
