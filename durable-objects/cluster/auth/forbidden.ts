// The 403 a refused request gets, worded as upstream's responsewriters.Forbidden and
// apierrors.NewForbidden: `pods "x" is forbidden: User "u" cannot delete resource "pods" in API group ""
// in the namespace "default"`.
import { forbidden, groupResource, type StatusError } from "../../../kube/status.ts";
import type { RequestAttributes } from "./request-info.ts";

function forbiddenMessage(a: RequestAttributes): string {
  const user = a.user.username;
  if (!a.resourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : "at the cluster scope";
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${where}`;
}

/** apierrors.NewForbidden(groupResource, name, err) with the authorizer's reason appended, as upstream does. */
export function forbiddenError(a: RequestAttributes, reason = ""): StatusError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  return forbiddenFor(a.apiGroup, a.resourceRequest ? a.resource : "", a.name, why);
}

/** NewForbidden: `<resource> "<name>" is forbidden: <why>`, or `forbidden: <why>` for no resource. */
export function forbiddenFor(group: string, resource: string, name: string, why: string): StatusError {
  if (!resource) return forbidden(`forbidden: ${why}`, name ? { name } : undefined);
  const gr = groupResource(group, resource);
  const message = name ? `${gr} "${name}" is forbidden: ${why}` : `${gr} is forbidden: ${why}`;
  return forbidden(message, { ...(name ? { name } : {}), ...(group ? { group } : {}), kind: resource });
}
