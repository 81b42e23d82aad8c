// What a request asks for, in the authorizer's terms: upstream's RequestInfoFactory
// (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go), so RBAC rules written for
// kube-apiserver mean the same here.
import type { UserInfo } from "../../../kube/user-info.ts";

export interface RequestAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** The URL path, for non-resource requests. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  namespace: string;
}

export type RequestInfo = Omit<RequestAttributes, "user">;

const METHOD_VERBS: Record<string, string> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};
const SPECIAL_VERBS = new Set(["proxy", "watch"]);
const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);
/**
 * Streams that run commands or open ports: a websocket upgrade arrives as a GET, and upstream
 * (AuthorizePodWebsocketUpgradeCreatePermission) requires `create` for it as for the SPDY POST.
 */
const CREATE_ONLY_SUBRESOURCES = new Set(["exec", "attach", "portforward"]);

function isWatch(params: URLSearchParams): boolean {
  const raw = params.get("watch");
  return raw !== null && raw !== "0" && raw.toLowerCase() !== "false";
}

/** A name from `fieldSelector=metadata.name=x`, as upstream narrows a list to it for resourceNames rules. */
function selectedName(params: URLSearchParams): string {
  const selector = params.get("fieldSelector");
  if (!selector || selector.includes(",")) return "";
  const match = /^metadata\.name(?:==?)(.+)$/.exec(selector.trim());
  const name = match?.[1] ?? "";
  return name && name !== "." && name !== ".." && !/[/%]/.test(name) ? name : "";
}

export function requestInfo(method: string, url: URL): RequestInfo {
  const info: RequestInfo = {
    verb: (METHOD_VERBS[method] ?? method).toLowerCase(),
    resourceRequest: false,
    path: url.pathname,
    apiGroup: "",
    apiVersion: "",
    resource: "",
    subresource: "",
    name: "",
    namespace: "",
  };
  let parts = url.pathname.split("/").filter(Boolean);
  try {
    parts = parts.map(decodeURIComponent);
  } catch {
    return info;
  }
  if (parts.length < 3 || (parts[0] !== "api" && parts[0] !== "apis")) return info;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (prefix === "apis") {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.resourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  let verbFromMethod = true;
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return { ...info, resourceRequest: false };
    info.verb = parts[0];
    parts = parts.slice(1);
    verbFromMethod = false;
  }
  if (parts[0] === "namespaces") {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  if (parts.length >= 3 && info.verb !== "proxy") info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];
  if (verbFromMethod && !info.name && info.verb === "get") {
    info.verb = isWatch(url.searchParams) ? "watch" : "list";
    info.name = selectedName(url.searchParams);
  }
  if (verbFromMethod && !info.name && info.verb === "delete") info.verb = "deletecollection";
  if (CREATE_ONLY_SUBRESOURCES.has(info.subresource) && info.resource === "pods") info.verb = "create";
  return info;
}
