// Join: a join token (role "join") and the node's facts buy a node credential (role "node", subject the
// node name). The Node is created, or refreshed when a machine joins again under the same name; a new
// credential for a name replaces the old one (its id is derived from the name).
import { HOST_SUBNETS_ANNOTATION, type JoinRequest, type JoinResponse } from "../../../kube/agent-protocol.ts";
import { unauthorized } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { updateObject } from "../writes/update.ts";
import type { Credentials } from "../auth/credentials.ts";
import { heartbeatSeconds, leaseSeconds } from "./heartbeat.ts";
import { joinLabels, parseJoinRequest } from "./parse.ts";
import type { LeaseTable } from "./lease-table.ts";
import { KUBELET_WRITE } from "./writes.ts";
import { ANN_VOLUME_DIR } from "../controllers/pv-binding-plan.ts";

export const JOIN_REFUSED = "the join token is invalid, expired or revoked";

/** The credential id of a node: stable, so a re-join replaces (revokes) the previous credential. */
export const nodeCredentialId = (nodeName: string) => `node-${nodeName}`;

function nodeObject(req: JoinRequest, existing?: KubeObject): KubeObject {
  const labels = { ...(existing?.metadata.labels ?? {}), ...joinLabels(req) };
  const base = existing
    ? structuredClone(existing)
    : { apiVersion: "v1", kind: "Node", metadata: { name: req.nodeName }, spec: {} };
  base.metadata.labels = labels;
  const { [HOST_SUBNETS_ANNOTATION]: _, [ANN_VOLUME_DIR]: __, ...annotations } = base.metadata.annotations ?? {};
  if (req.hostSubnets?.length) annotations[HOST_SUBNETS_ANNOTATION] = req.hostSubnets.join(",");
  // Where the built-in provisioner puts this node's volumes; only an absolute path is taken.
  if (req.volumeDir?.startsWith("/")) annotations[ANN_VOLUME_DIR] = req.volumeDir;
  base.metadata.annotations = annotations;
  return base as KubeObject;
}

export async function joinNode(
  ctx: ApiContext,
  credentials: Credentials,
  leases: LeaseTable,
  token: string,
  body: unknown,
): Promise<JoinResponse> {
  const now = ctx.now();
  const credential = await credentials.verify(token, now);
  if (credential?.role !== "join") throw unauthorized(JOIN_REFUSED);
  const req = parseJoinRequest(body);
  const nodes = ctx.kinds.byResource("nodes")!;
  // The Node and its facts together or not at all: a refused status must not leave a Node behind.
  ctx.store.transaction(() => {
    const existing = ctx.store.get("nodes", undefined, req.nodeName)?.object;
    const written = existing
      ? updateObject(ctx, nodes, { name: req.nodeName }, nodeObject(req, existing), KUBELET_WRITE)
      : createObject(ctx, nodes, undefined, nodeObject(req), KUBELET_WRITE);
    // Facts now; conditions arrive with the first sync.
    const status = {
      ...(written.status ?? {}),
      capacity: req.capacity,
      allocatable: req.allocatable,
      nodeInfo: req.nodeInfo,
      addresses: req.addresses,
    };
    updateObject(
      ctx,
      nodes,
      { name: req.nodeName, subresource: "status" },
      { ...structuredClone(written), status },
      KUBELET_WRITE,
    );
  });
  const nodeCredential = credentials.newSecret();
  await credentials.put(nodeCredentialId(req.nodeName), nodeCredential, "node", now, { subject: req.nodeName });
  const interval = heartbeatSeconds(ctx.store.count("nodes"));
  leases.renew(req.nodeName, now, leaseSeconds(interval));
  return { nodeName: req.nodeName, nodeCredential, heartbeatSeconds: interval };
}
