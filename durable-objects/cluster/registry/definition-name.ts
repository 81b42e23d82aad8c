// The schema definition a kind's objects are checked against and published under in OpenAPI.
import { definitionNameFor } from "../../../kube/schema/registry.ts";
import type { ResourceKind } from "./types.ts";

const gvkOf = (k: ResourceKind) => ({ group: k.group, version: k.version, kind: k.kind });

/** Upstream's definition names: io.k8s.api.<package>.<version>.<Kind>. */
export function definitionName(k: ResourceKind): string {
  // Custom resources are named by their reversed group, as upstream's CRD OpenAPI builder does.
  if (k.openAPISchema) return `${k.group.split(".").reverse().join(".")}.${k.version}.${k.kind}`;
  const known = definitionNameFor(gvkOf(k));
  if (known) return known;
  const pkg = k.group === "" ? "core" : k.group.split(".")[0];
  return `io.k8s.api.${pkg}.${k.version}.${k.kind}`;
}
