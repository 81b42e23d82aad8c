// GET /api/v1/namespaces/{ns}/pods/{name}/log: the apiserver's checks, then the container's log streamed
// from its node through the tunnel as text/plain (identity-encoded, so every line is flushed as it comes).
import type { Pod } from "../../../kube/pod-types.ts";
import { notFound } from "../../../kube/status.ts";
import type { ApiContext } from "../context.ts";
import type { TunnelHub } from "./hub.ts";
import { logContainerID, logContainerName } from "./log-target.ts";
import { parseLogOptions, sinceUnixSeconds } from "./log-options.ts";
import { openAccepted } from "./open.ts";
import { responseBody } from "./reader.ts";

const LOG_HEADERS = {
  "content-type": "text/plain",
  "content-encoding": "identity",
  "cache-control": "no-cache",
};

export async function podLogs(
  ctx: ApiContext,
  hub: TunnelHub,
  namespace: string,
  name: string,
  url: URL,
): Promise<Response> {
  const pod = ctx.store.get("pods", namespace, name)?.object as unknown as Pod | undefined;
  if (!pod) throw notFound("", "pods", name);
  const options = parseLogOptions(name, url.searchParams);
  const container = logContainerName(pod, options.container);
  const node = pod.spec?.nodeName;
  // Upstream answers a pod without a node with an empty log.
  if (!node) return new Response("", { headers: LOG_HEADERS });
  const containerID = logContainerID(pod, container, options.previous);
  const reader = await openAccepted(hub, node, {
    kind: "logs",
    containerID,
    follow: options.follow,
    timestamps: options.timestamps,
    tailLines: options.tailLines,
    since: sinceUnixSeconds(options, ctx.now()),
  });
  return new Response(responseBody(reader, options.limitBytes, logFailureLine), { headers: LOG_HEADERS });
}

const NEWLINE = 0x0a;

/**
 * The last line of a log whose stream failed (the node's connection lost, its runtime failing): on a line
 * of its own, worded like kubectl's own errors. The status line went out long ago, so this is the only
 * place left to say it; upstream's apiserver ends such a body silently.
 */
export function logFailureLine(message: string, lastByte: number | undefined): string {
  return `${lastByte === undefined || lastByte === NEWLINE ? "" : "\n"}error: ${message}\n`;
}
