// serviceaccounts/token (upstream pkg/registry/core/serviceaccount/storage/token.go): a POSTed
// authentication.k8s.io/v1 TokenRequest gets a token of the ServiceAccount signed by the cluster's key,
// for the requested audiences (the API's by default), expiring after spec.expirationSeconds (default 3600,
// at least 600), optionally bound to a Pod, Secret or Node of the same namespace whose uid must match.
import { invalid as invalidField } from "../../../kube/field-errors.ts";
import { badRequest, conflict, invalid, notFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { EXPIRATION_EXTENSION_SECONDS, WARN_ONLY_EXPIRATION_SECONDS } from "../auth/service-account-claims.ts";
import type { IssuedToken, ServiceAccountIssuer } from "../auth/service-account-issuer.ts";
import { type ApiContext, timestamp } from "./context.ts";
import { type BodyType, decodeAs, mediaType, parseDocument, readBody } from "./decode.ts";
import { warningHeaders } from "./field-validation.ts";
import { writeOptions } from "./options.ts";
import { json } from "./respond.ts";

const GROUP = "authentication.k8s.io";
const TOKEN_REQUEST: BodyType = {
  apiVersion: `${GROUP}/v1`,
  kind: "TokenRequest",
  definition: "io.k8s.api.authentication.v1.TokenRequest",
};
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_VALID_EXPIRATION_SECONDS = 2 ** 32;
/**
 * The longest token issued (upstream's --service-account-max-token-expiration, unset there by default):
 * longer requests are shortened with upstream's warning. One year, the life of extended pod tokens.
 */
export const MAX_EXPIRATION_SECONDS = EXPIRATION_EXTENSION_SECONDS;

export interface BoundObjectRef {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

export interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  boundObjectRef?: BoundObjectRef;
}

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

function validate(spec: TokenRequestSpec): void {
  const seconds = spec.expirationSeconds;
  const field = "spec.expirationSeconds";
  if (seconds < MIN_EXPIRATION_SECONDS)
    throw invalid(GROUP, "TokenRequest", "", [
      invalidField(field, seconds, "may not specify a duration less than 10 minutes"),
    ]);
  if (seconds > MAX_VALID_EXPIRATION_SECONDS)
    throw invalid(GROUP, "TokenRequest", "", [
      invalidField(field, seconds, "may not specify a duration larger than 2^32 seconds"),
    ]);
}

interface Bound {
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
}

/** Looks up the object the token is to be bound to, with upstream's errors. */
function boundObjects(ctx: ApiContext, namespace: string, saName: string, ref: BoundObjectRef | undefined): Bound {
  if (!ref) return {};
  const [group, version] = (ref.apiVersion ?? "").includes("/")
    ? (ref.apiVersion ?? "").split("/", 2)
    : ["", ref.apiVersion ?? ""];
  const name = ref.name ?? "";
  const kind = group === "" ? ref.kind : undefined;
  const found = (resource: string, ns: string | undefined) => {
    const obj = ctx.store.get(resource, ns, name)?.object;
    if (!obj) throw notFound("", resource, name);
    return obj;
  };
  let bound: Bound;
  let uid: string | undefined;
  if (kind === "Pod") {
    const pod = found("pods", namespace);
    if (pod.spec?.serviceAccountName !== saName)
      throw badRequest(
        `cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`,
      );
    const nodeName = pod.spec?.nodeName;
    // A node that is gone still gives its name, so the token says where the pod ran.
    const node = nodeName
      ? (ctx.store.get("nodes", undefined, nodeName)?.object ?? {
          apiVersion: "v1",
          kind: "Node",
          metadata: { name: nodeName },
        })
      : undefined;
    bound = { pod, node };
    uid = pod.metadata.uid;
  } else if (kind === "Secret") {
    bound = { secret: found("secrets", namespace) };
    uid = bound.secret?.metadata.uid;
  } else if (kind === "Node") {
    bound = { node: found("nodes", undefined) };
    uid = bound.node?.metadata.uid;
  } else {
    throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind ?? ""}`);
  }
  if (ref.uid && ref.uid !== uid)
    throw conflict(
      "",
      kind,
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  return bound;
}

export interface TokenGrant {
  issued: IssuedToken;
  spec: TokenRequestSpec;
  warnings: string[];
}

/**
 * Issues a token for the ServiceAccount `namespace/name` as the spec asks: the shared core of the
 * TokenRequest API and of tokens the object hands node agents for their pods' projected volumes.
 */
export async function grantToken(
  ctx: ApiContext,
  issuer: ServiceAccountIssuer,
  namespace: string,
  name: string,
  requested: TokenRequestSpec,
): Promise<TokenGrant> {
  const spec = { ...requested, audiences: requested.audiences.length ? requested.audiences : [...issuer.audiences] };
  const serviceAccount = ctx.store.get("serviceaccounts", namespace, name)?.object;
  if (!serviceAccount) throw notFound("", "serviceaccounts", name);
  validate(spec);
  const bound = boundObjects(ctx, namespace, name, spec.boundObjectRef);
  const warnings: string[] = [];
  if (spec.expirationSeconds > MAX_EXPIRATION_SECONDS) {
    warnings.push(
      `requested expiration of ${spec.expirationSeconds} seconds shortened to ${MAX_EXPIRATION_SECONDS} seconds`,
    );
    spec.expirationSeconds = MAX_EXPIRATION_SECONDS;
  }
  // Safe transition of projected tokens: the admission plugin's 3607 s pod token lives a year, and
  // use past 3607 s is only warned about (token.go's extendExpiration).
  const extend =
    bound.pod !== undefined &&
    spec.expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS &&
    spec.audiences.every((a) => issuer.audiences.includes(a));
  const now = ctx.now();
  const issued = await issuer.issueBound({
    serviceAccount,
    audiences: spec.audiences,
    now,
    expirationSeconds: extend ? EXPIRATION_EXTENSION_SECONDS : spec.expirationSeconds,
    warnAfterSeconds: extend ? spec.expirationSeconds : undefined,
    ...bound,
  });
  // The status reports the requested life even for an extended token: the kubelet refreshes by it.
  return {
    issued: { ...issued, expiresAt: Math.floor(now / 1000) * 1000 + spec.expirationSeconds * 1000 },
    spec,
    warnings,
  };
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
  const text = await readBody(request);
  const { obj } = decodeAs(TOKEN_REQUEST, parseDocument(text, mediaType(request)), text, options.fieldValidation);
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
