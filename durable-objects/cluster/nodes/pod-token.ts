// POST /agent/pod-token: a node's agent asks for the bound ServiceAccount token of one serviceAccountToken
// projection of a pod's volumes (the kubelet's TokenRequest). Only a node credential gets one, only for a
// pod bound to that node, with the pod's uid, its ServiceAccount, and an audience and life the pod's own
// spec projects — upstream's NodeRestriction admission, with its messages.
import type { PodTokenRequest, PodTokenResponse } from "../../../kube/agent-protocol.ts";
import { discardBody, readCapped } from "../../../kube/http/read-capped.ts";
import type { PodSpec } from "../../../kube/pod-types.ts";
import { DEFAULT_PROJECTED_TOKEN_SECONDS } from "../../../kube/service-account-volume.ts";
import { badRequest, forbidden, methodNotAllowed, notFound, tooLarge, unauthorized } from "../../../kube/status.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { errorResponse, json } from "../../../kube/http/respond.ts";
import type { Credentials } from "../auth/credentials.ts";
import { grantToken } from "../auth/token-grant.ts";

const MAX_BODY_BYTES = 4096;
const bearer = (header: string | null) => /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1].trim() ?? "";
const isString = (v: unknown): v is string => typeof v === "string";

function parse(body: unknown): PodTokenRequest {
  const r = body as Partial<PodTokenRequest> | null;
  const ok =
    r !== null &&
    typeof r === "object" &&
    isString(r.namespace) &&
    isString(r.podName) &&
    isString(r.podUID) &&
    (r.audience === undefined || isString(r.audience)) &&
    Number.isInteger(r.expirationSeconds);
  if (!ok) throw badRequest("pod token request: namespace, podName, podUID and expirationSeconds are required");
  return r as PodTokenRequest;
}

/** Whether the pod's volumes project a token for this audience and life. */
function projects(spec: PodSpec | undefined, audience: string | undefined, seconds: number): boolean {
  return (spec?.volumes ?? []).some((v) =>
    (v.projected?.sources ?? []).some(
      (s) =>
        s.serviceAccountToken !== undefined &&
        (s.serviceAccountToken.audience || undefined) === (audience || undefined) &&
        (s.serviceAccountToken.expirationSeconds ?? DEFAULT_PROJECTED_TOKEN_SECONDS) === seconds,
    ),
  );
}

export async function podToken(
  ctx: ApiContext,
  credentials: Credentials,
  token: string,
  body: unknown,
): Promise<PodTokenResponse> {
  const credential = await credentials.verify(token, ctx.now());
  if (credential?.role !== "node" || !credential.subject) throw unauthorized();
  const req = parse(body);
  const issuer = ctx.serviceAccountIssuer;
  if (!issuer) throw notFound("", "serviceaccounts/token", "");
  const pod = ctx.store.get("pods", req.namespace, req.podName)?.object;
  if (!pod) throw notFound("", "pods", req.podName);
  const spec = pod.spec as PodSpec | undefined;
  const saName = spec?.serviceAccountName ?? "";
  const refuse = (why: string) =>
    forbidden(`serviceaccounts "${saName}" is forbidden: ${why}`, { name: saName, kind: "serviceaccounts" });
  if (pod.metadata.uid !== req.podUID)
    throw refuse(
      `the UID in the bound object reference (${req.podUID}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  if (spec?.nodeName !== credential.subject)
    throw refuse("node requested token bound to a pod scheduled on a different node");
  if (!projects(spec, req.audience, req.expirationSeconds))
    throw refuse("node requested a token the pod's volumes do not project");
  const { issued } = await grantToken(ctx, issuer, req.namespace, saName, {
    audiences: req.audience ? [req.audience] : [],
    expirationSeconds: req.expirationSeconds,
    boundObjectRef: { kind: "Pod", apiVersion: "v1", name: req.podName, uid: req.podUID },
  });
  return { token: issued.token, expirationTimestamp: timestamp(issued.expiresAt) };
}

/** The HTTP face, mounted by the object beside the other agent paths. */
export async function handlePodTokenRequest(ctx: ApiContext, credentials: Credentials, request: Request) {
  try {
    if (request.method !== "POST") throw methodNotAllowed(`the agent protocol accepts POST, not ${request.method}`);
    const bytes = request.body ? await readCapped(request.body, MAX_BODY_BYTES) : new Uint8Array();
    if (bytes === null) throw tooLarge(`Request entity too large: limit is ${MAX_BODY_BYTES}`);
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw badRequest("request body must be JSON");
    }
    return json(await podToken(ctx, credentials, bearer(request.headers.get("authorization")), body), 201);
  } catch (error) {
    await discardBody(request);
    return errorResponse(error);
  }
}
