// pods/attach over WebSockets: the same checks and relay as exec (interactive.ts), to the container's main
// process. The terminal follows the container's spec (whether the process has one cannot change after it
// started), as the kubelet's GetAttach does; the end is Success, or upstream's "error attaching" Status.
import { allContainers } from "../../../kube/pod-containers.ts";
import type { Pod } from "../../../kube/pod-types.ts";
import { type ChannelStatus, failureStatus } from "../../../kube/tunnel-protocol-channels.ts";
import type { ApiContext } from "../context.ts";
import type { StreamEnd, TunnelHub } from "./hub.ts";
import {
  interactivePod,
  interactiveTarget,
  openInteractive,
  parseStdioParams,
  webSocketProtocol,
} from "./interactive.ts";

const SUCCESS: ChannelStatus = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" };

export function attachEndStatus(end: StreamEnd): ChannelStatus {
  return "error" in end ? failureStatus(`error attaching to container: ${end.error.message}`) : SUCCESS;
}

/** The container's tty as its spec says. */
export function containerTty(pod: Pod, container: string): boolean {
  const spec = allContainers(pod).find((c) => c.name === container);
  return spec?.tty === true;
}

export async function podAttach(
  ctx: ApiContext,
  hub: TunnelHub,
  namespace: string,
  name: string,
  request: Request,
): Promise<Response> {
  const pod = interactivePod(ctx, namespace, name);
  const params = parseStdioParams(new URL(request.url).searchParams);
  const { node, container, containerID } = interactiveTarget(pod, "attach", params.container);
  const protocol = webSocketProtocol("attach", request);
  const { stdin, stdout, stderr } = params;
  const tty = containerTty(pod, container);
  return openInteractive(
    hub,
    node,
    protocol,
    { kind: "attach", containerID, stdin, stdout, stderr, tty },
    attachEndStatus,
  );
}
