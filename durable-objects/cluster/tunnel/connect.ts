// Streams an agent opens: a pod's connection to a Service whose chosen endpoint runs on another node. The
// node-local service proxy picked the endpoint; the object checks it (a ready address of that Service on
// that node carrying that port, and the asking node runs a pod in the Service's namespace, so a node
// learns nothing and reaches nothing beyond what its own pods could), opens a `tcp` stream to the
// endpoint's node and relays bytes both ways, each direction within its stream's credit.
import type { ConnectOpen, OpenRequest, PodConnectOpen } from "../../../kube/tunnel-protocol.ts";
import { StatusError } from "../../../kube/status.ts";
import type { ApiContext } from "../context.ts";
import { readyEndpoints } from "../nodes/services-sync.ts";
import type { AgentOpenHandler, HubStream, TunnelHub } from "./hub.ts";
import { openAccepted } from "./open.ts";
import { StreamReader } from "./reader.ts";

const forbiddenConnect = (message: string) => new StatusError(403, "Forbidden", message);

/** Why the node may not connect there, or undefined when it may. */
export function checkConnect(ctx: ApiContext, node: string, open: ConnectOpen): StatusError | undefined {
  const { namespace, service, podIP, port } = open;
  const runsPod = ctx.store.list("pods", namespace).some((e) => e.object.spec?.nodeName === node);
  if (!runsPod)
    return forbiddenConnect(`node "${node}" runs no pod in namespace "${namespace}": it may not reach its services`);
  const endpoint = readyEndpoints(ctx.store.get("endpoints", namespace, service)?.object).find(
    (e) => e.ip === podIP && e.nodeName === open.node,
  );
  if (!endpoint || !Object.values(endpoint.ports).includes(port))
    return new StatusError(
      503,
      "ServiceUnavailable",
      `${podIP}:${port} on node "${open.node}" is not a ready endpoint of service "${namespace}/${service}"`,
    );
  return undefined;
}

/**
 * Why the node may not reach that pod IP, or undefined when it may: the asking node must be running a pod
 * (only pods open these, through their node's relay), and the address must be a live, non-host-network pod
 * of this cluster on the named node — a node reaches pods of its own cluster and nothing else.
 */
export function checkPodConnect(ctx: ApiContext, node: string, open: PodConnectOpen): StatusError | undefined {
  const pods = ctx.store.list("pods");
  if (!pods.some((e) => e.object.spec?.nodeName === node))
    return forbiddenConnect(`node "${node}" runs no pod: it may not reach other nodes' pods`);
  const target = pods.find(
    (e) =>
      e.object.spec?.nodeName === open.node &&
      e.object.spec?.hostNetwork !== true &&
      e.object.status?.podIP === open.podIP &&
      !["Succeeded", "Failed"].includes(e.object.status?.phase),
  );
  if (!target)
    return new StatusError(503, "ServiceUnavailable", `${open.podIP} is not a running pod on node "${open.node}"`);
  return undefined;
}

/**
 * The source the endpoint's node is told, vouched for: a live pod of the asking node keeps its IP (a node
 * cannot claim another node's pods); anything else (a node port's client) becomes the asking node's own
 * address, as a Service's SNAT to the node makes it upstream.
 */
export function vouchedSource(ctx: ApiContext, node: string, sourceIP: string | undefined): string | undefined {
  if (!sourceIP) return undefined;
  const own = ctx.store
    .list("pods")
    .some(
      (e) =>
        e.object.spec?.nodeName === node &&
        e.object.spec?.hostNetwork !== true &&
        e.object.status?.podIP === sourceIP &&
        !["Succeeded", "Failed"].includes(e.object.status?.phase),
    );
  if (own) return sourceIP;
  const addresses = (ctx.store.get("nodes", undefined, node)?.object.status?.addresses ?? []) as {
    type?: string;
    address?: string;
  }[];
  return addresses.find((a) => a.type === "InternalIP")?.address;
}

/** Copies one stream's data into the other until it ends, then ends the other the same way. */
async function pump(from: StreamReader, to: HubStream): Promise<void> {
  for (;;) {
    const next = await from.next();
    if (!(next instanceof Uint8Array)) {
      if ("error" in next) to.fail(next.error.message);
      else to.close();
      return;
    }
    if (!(await to.write(next))) {
      from.stream.close();
      return;
    }
  }
}

export async function relayConnect(
  ctx: ApiContext,
  hub: TunnelHub,
  stream: HubStream,
  open: ConnectOpen | PodConnectOpen,
) {
  const refused =
    open.kind === "connect" ? checkConnect(ctx, stream.node, open) : checkPodConnect(ctx, stream.node, open);
  if (refused) return stream.fail(refused.message, refused.code);
  const incoming = new StreamReader(stream);
  let target: StreamReader;
  try {
    const sourceIP = vouchedSource(ctx, stream.node, open.sourceIP);
    target = await openAccepted(hub, open.node, {
      kind: "tcp",
      podIP: open.podIP,
      port: open.port,
      ...(sourceIP ? { sourceIP } : {}),
    });
  } catch (error) {
    return stream.fail((error as Error).message, error instanceof StatusError ? error.code : 502);
  }
  if (stream.done) return target.stream.close(); // the pod's client gave up meanwhile
  stream.accept();
  await Promise.all([pump(incoming, target.stream), pump(target, stream)]);
}

/** The hub's handler for agent-opened streams: only `connect` and `pod-connect` are served. */
export function agentOpens(ctx: ApiContext, hub: TunnelHub): AgentOpenHandler {
  return (stream: HubStream, _node: string, request: OpenRequest) => {
    if (request.kind !== "connect" && request.kind !== "pod-connect")
      return stream.fail(`nodes may not open ${request.kind} streams`, 400);
    void relayConnect(ctx, hub, stream, request).catch((error: Error) => stream.fail(error.message, 500));
  };
}
