// serviceaccounts/token (upstream pkg/registry/core/serviceaccount/storage/token.go): a POSTed
// authentication.k8s.io/v1 TokenRequest gets a token of the ServiceAccount signed by the cluster's key,
// for the requested audiences (the API's by default), expiring after spec.expirationSeconds (default 3600,
// at least 600), optionally bound to a Pod, Secret or Node of the same namespace whose uid must match.
import { invalid as invalidField } from "../../../kube/field-errors.ts";
import { badRequest, invalid, notFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { type BoundObjectRef, grantToken, type TokenRequestSpec } from "../auth/token-grant.ts";
import { type ApiContext, timestamp } from "../context.ts";
import { readTyped } from "./decode.ts";
import type { BodyType } from "../writes/decode.ts";
import { warningHeaders } from "../writes/field-validation.ts";
import { writeOptions } from "./options.ts";
import { json } from "../../../kube/http/respond.ts";

const GROUP = "authentication.k8s.io";
const TOKEN_REQUEST: BodyType = {
  apiVersion: `${GROUP}/v1`,
  kind: "TokenRequest",
  definition: "io.k8s.api.authentication.v1.TokenRequest",
};
const DEFAULT_EXPIRATION_SECONDS = 3600;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** The spec as upstream's typed decoding and SetDefaults_TokenRequestSpec leave it. */
function specOf(obj: KubeObject): TokenRequestSpec {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  if (typeof spec !== "object" || Array.isArray(spec)) throw badRequest("spec: expected an object");
  const audiences = spec.audiences ?? [];
  if (!isStringArray(audiences)) throw badRequest("spec.audiences: expected a list of strings");
  const expiration = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (typeof expiration !== "number" || !Number.isInteger(expiration))
    throw badRequest("spec.expirationSeconds: expected an integer");
  const ref = spec.boundObjectRef;
  if (ref !== undefined && ref !== null) {
    const fields = ref as Record<string, unknown>;
    if (typeof ref !== "object" || Object.values(fields).some((v) => v !== undefined && typeof v !== "string"))
      throw badRequest("spec.boundObjectRef: expected an object of strings");
  }
  return { audiences, expirationSeconds: expiration, boundObjectRef: (ref ?? undefined) as BoundObjectRef | undefined };
}

/** POST .../namespaces/<ns>/serviceaccounts/<name>/token */
export async function createToken(
  ctx: ApiContext,
  request: Request,
  namespace: string,
  name: string,
): Promise<Response> {
  const issuer = ctx.serviceAccountIssuer;
  if (!issuer) throw notFound("", "serviceaccounts/token", name);
  const options = writeOptions(new URL(request.url).searchParams, request.headers.get("user-agent"));
  const { obj } = await readTyped(request, TOKEN_REQUEST, options.fieldValidation);
  if (obj.metadata.name && obj.metadata.name !== name)
    throw invalid(GROUP, "TokenRequest", name, [
      invalidField("metadata.name", obj.metadata.name, "must match the service account name if specified"),
    ]);
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace)
    throw invalid(GROUP, "TokenRequest", name, [
      invalidField(
        "metadata.namespace",
        obj.metadata.namespace,
        "must match the service account namespace if specified",
      ),
    ]);
  const { issued, spec, warnings } = await grantToken(ctx, issuer, namespace, name, specOf(obj));
  const body = {
    kind: "TokenRequest",
    apiVersion: TOKEN_REQUEST.apiVersion,
    metadata: { name, namespace, creationTimestamp: timestamp(ctx.now()) },
    spec: {
      audiences: spec.audiences,
      expirationSeconds: spec.expirationSeconds,
      ...(spec.boundObjectRef ? { boundObjectRef: spec.boundObjectRef } : {}),
    },
    status: { token: issued.token, expirationTimestamp: timestamp(issued.expiresAt) },
  };
  const response = json(body, 201);
  for (const h of warningHeaders(warnings)) response.headers.append("warning", h);
  return response;
}
