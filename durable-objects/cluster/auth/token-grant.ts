// Issuing a ServiceAccount token (upstream pkg/registry/core/serviceaccount/storage/token.go): validation
// of the requested life, the object it is bound to (Pod, Secret or Node, uid checked), and the signature.
// Shared by the TokenRequest API (api/token-request.ts) and the tokens node agents fetch for their pods'
// projected volumes (nodes/pod-token.ts).
import { invalid as invalidField } from "../../../kube/field-errors.ts";
import { badRequest, conflict, invalid, notFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { EXPIRATION_EXTENSION_SECONDS, WARN_ONLY_EXPIRATION_SECONDS } from "./service-account-claims.ts";
import type { IssuedToken, ServiceAccountIssuer } from "./service-account-issuer.ts";

const GROUP = "authentication.k8s.io";
export const MIN_EXPIRATION_SECONDS = 600;
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
