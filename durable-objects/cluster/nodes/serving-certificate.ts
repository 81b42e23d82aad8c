// POST /agent/serving-certificate: a node's agent asks the cluster CA to certify the key it serves the
// in-cluster API endpoint with. Only a node credential acting as its own (existing) node gets one, and only for
// the fixed in-cluster names and the `kubernetes` Service's cluster IP.
import type { ServingCertificateRequest, ServingCertificateResponse } from "../../../kube/agent-protocol.ts";
import { badRequest, forbidden, notFound, unauthorized } from "../../../kube/status.ts";
import type { ApiContext } from "../context.ts";
import type { ClusterCA } from "../auth/cluster-ca.ts";
import type { Credentials } from "../auth/credentials.ts";
import { base64Decode } from "../../../kube/x509.ts";
import { KUBERNETES_CLUSTER_IP } from "../kubernetes-service.ts";

/** A P-256 SubjectPublicKeyInfo is 91 bytes; anything much longer is no such key. */
const MAX_PUBLIC_KEY_CHARS = 512;

export function kubernetesServiceIP(ctx: ApiContext): string {
  const ip = ctx.store.get("services", "default", "kubernetes")?.object.spec?.clusterIP;
  return typeof ip === "string" && ip !== "None" && ip !== "" ? ip : KUBERNETES_CLUSTER_IP;
}

function parse(body: unknown): ServingCertificateRequest {
  const req = body as Partial<ServingCertificateRequest> | null;
  if (!req || typeof req !== "object" || typeof req.nodeName !== "string" || typeof req.publicKey !== "string")
    throw badRequest("serving certificate request: nodeName and publicKey (base64 DER) are required");
  if (req.publicKey.length > MAX_PUBLIC_KEY_CHARS || !/^[A-Za-z0-9+/]+=*$/.test(req.publicKey))
    throw badRequest("serving certificate request: publicKey must be base64 of an ECDSA P-256 key");
  return { nodeName: req.nodeName, publicKey: req.publicKey };
}

export async function servingCertificate(
  ctx: ApiContext,
  credentials: Credentials,
  ca: ClusterCA,
  token: string,
  body: unknown,
): Promise<ServingCertificateResponse> {
  const credential = await credentials.verify(token, ctx.now());
  if (credential?.role !== "node") throw unauthorized();
  const req = parse(body);
  if (credential.subject !== req.nodeName)
    throw forbidden(`node "${credential.subject}" is not allowed to act as node "${req.nodeName}"`, {
      kind: "nodes",
      name: req.nodeName,
    });
  if (!ctx.store.get("nodes", undefined, req.nodeName)) throw notFound("", "nodes", req.nodeName);
  const clusterIP = kubernetesServiceIP(ctx);
  let signed: { certificate: string; ca: string };
  try {
    signed = await ca.signServing(base64Decode(req.publicKey), clusterIP);
  } catch {
    throw badRequest("serving certificate request: publicKey is not an ECDSA P-256 public key");
  }
  return { ...signed, clusterIP };
}
