// Impersonation headers (Impersonate-User, -Group, -Uid, -Extra-*), as upstream's WithImpersonation filter
// (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): each thing impersonated needs the
// `impersonate` verb on users, groups, serviceaccounts, uids or userextras/<key>; the request then runs as the
// impersonated user.
import { badRequest } from "../../../kube/status.ts";
import {
  AUTHENTICATED_GROUP,
  SERVICE_ACCOUNT_PREFIX,
  SERVICE_ACCOUNTS_GROUP,
  type UserInfo,
} from "../../../kube/user-info.ts";
import { forbiddenError } from "./forbidden.ts";
import type { RequestAttributes } from "./request-info.ts";

const UNAUTHENTICATED_GROUP = "system:unauthenticated";
const EXTRA_PREFIX = "impersonate-extra-";

interface Impersonation {
  resource: "users" | "groups" | "serviceaccounts" | "uids" | "userextras";
  apiGroup: "" | "authentication.k8s.io";
  name: string;
  namespace?: string;
  extraKey?: string;
}

/** `system:serviceaccount:<ns>:<name>` split, or undefined for any other user name. */
function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(":");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** Several headers of one name arrive joined by ", " (the Fetch API merges them). */
const values = (raw: string | null) =>
  raw === null
    ? []
    : raw
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");

function impersonationRequests(headers: Headers): Impersonation[] {
  const out: Impersonation[] = [];
  const user = headers.get("impersonate-user");
  if (user) {
    const sa = serviceAccountOf(user);
    out.push(
      sa
        ? { resource: "serviceaccounts", apiGroup: "", name: sa.name, namespace: sa.namespace }
        : { resource: "users", apiGroup: "", name: user },
    );
  }
  for (const group of values(headers.get("impersonate-group")))
    out.push({ resource: "groups", apiGroup: "", name: group });
  for (const [header, raw] of headers) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    let key: string;
    try {
      key = decodeURIComponent(header.slice(EXTRA_PREFIX.length));
    } catch {
      throw badRequest(`invalid impersonation extra header: ${header}`);
    }
    for (const value of values(raw))
      out.push({ resource: "userextras", apiGroup: "authentication.k8s.io", name: value, extraKey: key });
  }
  const uid = headers.get("impersonate-uid");
  if (uid) out.push({ resource: "uids", apiGroup: "authentication.k8s.io", name: uid });
  if (!user && out.length > 0)
    throw badRequest(`requested ${out.map((r) => `${r.resource} ${r.name}`).join(", ")} without impersonating a user`);
  return out;
}

/** Whether the request carries any impersonation header. */
export function wantsImpersonation(headers: Headers): boolean {
  for (const [name] of headers) if (name.startsWith("impersonate-")) return true;
  return false;
}

/**
 * The user the request acts as: `requestor` itself without impersonation headers, else the
 * impersonated user once every part of it is authorized (403 with upstream's wording otherwise).
 */
export function impersonate(
  requestor: UserInfo,
  headers: Headers,
  authorize: (attrs: RequestAttributes) => { allowed: boolean; reason: string },
): UserInfo {
  const requests = impersonationRequests(headers);
  if (requests.length === 0) return requestor;
  let username = "";
  let uid: string | undefined;
  const groups: string[] = [];
  const extra: Record<string, string[]> = {};
  const groupsGiven = requests.some((r) => r.resource === "groups");
  for (const r of requests) {
    const attrs: RequestAttributes = {
      user: requestor,
      verb: "impersonate",
      resourceRequest: true,
      path: "",
      apiGroup: r.apiGroup,
      apiVersion: "v1",
      resource: r.resource,
      subresource: r.extraKey ?? "",
      name: r.name,
      namespace: r.namespace ?? "",
    };
    const decision = authorize(attrs);
    if (!decision.allowed) throw forbiddenError(attrs, decision.reason);
    switch (r.resource) {
      case "serviceaccounts":
        username = `${SERVICE_ACCOUNT_PREFIX}${r.namespace}:${r.name}`;
        if (!groupsGiven) groups.push(SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${r.namespace}`);
        break;
      case "users":
        username = r.name;
        break;
      case "groups":
        groups.push(r.name);
        break;
      case "userextras":
        extra[r.extraKey ?? ""] = [...(extra[r.extraKey ?? ""] ?? []), r.name];
        break;
      case "uids":
        uid = r.name;
        break;
    }
  }
  if (username !== "system:anonymous" && !groups.some((g) => g === AUTHENTICATED_GROUP || g === UNAUTHENTICATED_GROUP))
    groups.push(AUTHENTICATED_GROUP);
  return { username, groups, ...(uid ? { uid } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}
