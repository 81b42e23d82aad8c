// Which verbs each role may use on the Kubernetes API, with upstream's 403 wording.
import { forbidden } from "../../../kube/status.ts";
import type { Credential } from "./credentials.ts";

const READ_METHODS = new Set(["GET", "HEAD"]);

const verbOf: Record<string, string> = {
  GET: "get",
  HEAD: "get",
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/** Admins do anything; viewers only read. Join and node credentials use the node protocol, not this API. */
export function authorize(
  cred: Credential,
  method: string,
  resource: string,
  namespace: string | undefined,
  group = "",
): void {
  if (cred.role === "admin") return;
  if (cred.role === "view" && READ_METHODS.has(method)) return;
  const user = `flotilla:${cred.role}:${cred.id}`;
  const where = namespace ? ` in the namespace "${namespace}"` : " at the cluster scope";
  throw forbidden(
    `${resource || "requested resource"} is forbidden: User "${user}" cannot ${verbOf[method] ?? method.toLowerCase()} resource "${resource}" in API group "${group}"${where}`,
    { kind: resource, group: group || undefined },
  );
}
