// The access and identity reviews (pkg/registry/authorization/*, pkg/registry/authentication/*): create-only
// kinds that are answered, never stored. SelfSubjectAccessReview and SelfSubjectRulesReview are `kubectl auth
// can-i` and `can-i --list`; SelfSubjectReview is `kubectl auth whoami`; TokenReview runs the authentication chain.
import { type FieldError, invalid as invalidField } from "../../../kube/field-errors.ts";
import { badRequest, invalid } from "../../../kube/status.ts";
import type { TokenAuthenticator, UserInfo } from "../../../kube/user-info.ts";
import { timestamp } from "../context.ts";
import { mediaType, parseDocument, readBody } from "./decode.ts";
import { json } from "../../../kube/http/respond.ts";
import type { RbacAuthorizer } from "../auth/rbac-authorizer.ts";
import type { RequestAttributes } from "../auth/request-info.ts";

export const AUTHORIZATION_GROUP = "authorization.k8s.io";
export const AUTHENTICATION_GROUP = "authentication.k8s.io";

// biome-ignore lint/suspicious/noExplicitAny: review bodies are read field by field and checked as they are read
type Body = Record<string, any>;

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** The body as an object of the expected kind (apiVersion/kind may be left out, as upstream's decoder allows). */
async function readReview(request: Request, group: string, kind: string): Promise<Body> {
  const text = await readBody(request);
  const body = parseDocument(text, mediaType(request));
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest(`the body of the request must be a ${kind} object`);
  const obj = body as Body;
  const apiVersion = `${group}/v1`;
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion)
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  if (obj.kind !== undefined && obj.kind !== kind)
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${kind})`);
  for (const field of ["metadata", "spec"])
    if (
      obj[field] !== undefined &&
      obj[field] !== null &&
      (typeof obj[field] !== "object" || Array.isArray(obj[field]))
    )
      throw badRequest(`${kind}.${field}: expected an object`);
  return { ...obj, apiVersion, kind, metadata: obj.metadata ?? {}, spec: obj.spec ?? {} };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** ValidateSelfSubjectAccessReviewSpec: exactly one of resourceAttributes and nonResourceAttributes. */
function attributesErrors(spec: Body): FieldError[] {
  const res = spec.resourceAttributes;
  const non = spec.nonResourceAttributes;
  if (res != null && non != null)
    return [
      invalidField("spec.nonResourceAttributes", non, "cannot be specified in combination with resourceAttributes"),
    ];
  if (res == null && non == null)
    return [
      invalidField(
        "spec.resourceAttributes",
        null,
        "exactly one of nonResourceAttributes or resourceAttributes must be specified",
      ),
    ];
  return [];
}

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
function attributesFrom(user: UserInfo, spec: Body): RequestAttributes {
  const base = { user, apiGroup: "", apiVersion: "", resource: "", subresource: "", name: "", namespace: "" };
  if (spec.resourceAttributes != null) {
    const r = spec.resourceAttributes as ResourceAttributes;
    return {
      ...base,
      verb: str(r.verb),
      resourceRequest: true,
      path: "",
      apiGroup: str(r.group),
      apiVersion: str(r.version),
      resource: str(r.resource),
      subresource: str(r.subresource),
      name: str(r.name),
      namespace: str(r.namespace),
    };
  }
  const n = spec.nonResourceAttributes as { path?: string; verb?: string };
  return { ...base, verb: str(n.verb), resourceRequest: false, path: str(n.path) };
}

function reviewed(obj: Body, now: number, status: Body): Response {
  const metadata = { ...obj.metadata, creationTimestamp: timestamp(now) };
  return json({ ...obj, metadata, status }, 201);
}

function accessStatus(rbac: RbacAuthorizer, attrs: RequestAttributes): Body {
  const decision = rbac.authorize(attrs);
  return { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
}

function checkSpec(kind: string, errors: FieldError[]): void {
  if (errors.length) throw invalid(AUTHORIZATION_GROUP, kind, "", errors);
}

export interface ReviewContext {
  rbac: RbacAuthorizer;
  authenticate: TokenAuthenticator;
  now(): number;
}

export async function selfSubjectAccessReview(r: ReviewContext, request: Request, user: UserInfo): Promise<Response> {
  const obj = await readReview(request, AUTHORIZATION_GROUP, "SelfSubjectAccessReview");
  checkSpec("SelfSubjectAccessReview", attributesErrors(obj.spec));
  return reviewed(obj, r.now(), accessStatus(r.rbac, attributesFrom(user, obj.spec)));
}

/** The user a SubjectAccessReview asks about. */
function specUser(spec: Body): UserInfo {
  const extra = spec.extra && typeof spec.extra === "object" ? (spec.extra as Record<string, string[]>) : undefined;
  return {
    username: str(spec.user),
    groups: strings(spec.groups),
    ...(spec.uid ? { uid: str(spec.uid) } : {}),
    ...(extra ? { extra } : {}),
  };
}

export async function subjectAccessReview(r: ReviewContext, request: Request): Promise<Response> {
  const obj = await readReview(request, AUTHORIZATION_GROUP, "SubjectAccessReview");
  const errors = attributesErrors(obj.spec);
  if (!obj.spec.user && strings(obj.spec.groups).length === 0)
    errors.push(invalidField("spec.user", str(obj.spec.user), "at least one of user or group must be specified"));
  checkSpec("SubjectAccessReview", errors);
  return reviewed(obj, r.now(), accessStatus(r.rbac, attributesFrom(specUser(obj.spec), obj.spec)));
}

export async function localSubjectAccessReview(
  r: ReviewContext,
  request: Request,
  namespace: string,
): Promise<Response> {
  const obj = await readReview(request, AUTHORIZATION_GROUP, "LocalSubjectAccessReview");
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace)
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  obj.metadata.namespace = namespace;
  const errors = attributesErrors(obj.spec);
  if (!obj.spec.user && strings(obj.spec.groups).length === 0)
    errors.push(invalidField("spec.user", str(obj.spec.user), "at least one of user or group must be specified"));
  if (obj.spec.resourceAttributes != null && str(obj.spec.resourceAttributes.namespace) !== namespace)
    errors.push(
      invalidField(
        "spec.resourceAttributes.namespace",
        obj.spec.resourceAttributes.namespace,
        "must match metadata.namespace",
      ),
    );
  if (obj.spec.nonResourceAttributes != null)
    errors.push(
      invalidField("spec.nonResourceAttributes", obj.spec.nonResourceAttributes, "disallowed on this kind of request"),
    );
  checkSpec("LocalSubjectAccessReview", errors);
  return reviewed(obj, r.now(), accessStatus(r.rbac, attributesFrom(specUser(obj.spec), obj.spec)));
}

export async function selfSubjectRulesReview(r: ReviewContext, request: Request, user: UserInfo): Promise<Response> {
  const obj = await readReview(request, AUTHORIZATION_GROUP, "SelfSubjectRulesReview");
  const namespace = str(obj.spec.namespace);
  if (!namespace) throw badRequest("no namespace on request");
  const { rules, errors } = r.rbac.rulesFor(user, namespace);
  const resourceRules = rules
    .filter((rule) => rule.resources?.length)
    .map((rule) => ({
      verbs: rule.verbs ?? [],
      apiGroups: rule.apiGroups ?? [],
      resources: rule.resources ?? [],
      ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
    }));
  const nonResourceRules = rules
    .filter((rule) => rule.nonResourceURLs?.length)
    .map((rule) => ({ verbs: rule.verbs ?? [], nonResourceURLs: rule.nonResourceURLs ?? [] }));
  const evaluationError = errors.length === 0 ? undefined : errors.length === 1 ? errors[0] : `[${errors.join(", ")}]`;
  return reviewed(obj, r.now(), {
    resourceRules,
    nonResourceRules,
    incomplete: false,
    ...(evaluationError ? { evaluationError } : {}),
  });
}

const userInfoJson = (u: UserInfo) => ({
  username: u.username,
  ...(u.uid ? { uid: u.uid } : {}),
  groups: u.groups,
  ...(u.extra ? { extra: u.extra } : {}),
});

export async function selfSubjectReview(r: ReviewContext, request: Request, user: UserInfo): Promise<Response> {
  const obj = await readReview(request, AUTHENTICATION_GROUP, "SelfSubjectReview");
  delete obj.spec;
  return reviewed(obj, r.now(), { userInfo: userInfoJson(user) });
}

/** TokenReview: whether a token authenticates and as whom; the token itself is never echoed. */
export async function tokenReview(r: ReviewContext, request: Request): Promise<Response> {
  const obj = await readReview(request, AUTHENTICATION_GROUP, "TokenReview");
  const token = str(obj.spec.token);
  if (!token) throw badRequest("token is required for TokenReview in authentication");
  const user = await r.authenticate(token, r.now());
  const { token: _secret, ...spec } = obj.spec;
  return reviewed({ ...obj, spec }, r.now(), { authenticated: !!user, ...(user ? { user: userInfoJson(user) } : {}) });
}
