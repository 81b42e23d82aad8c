// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding (pkg/registry/rbac/rolebinding,
// clusterrolebinding): roleRef is immutable; tables as upstream's printRoleBinding (ROLE, AGE, and with
// -o wide USERS, GROUPS, SERVICEACCOUNTS).
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column, wide } from "./columns.ts";
import {
  defaultBinding,
  RBAC_GROUP,
  roleRefOf,
  subjectsOf,
  validateBinding,
  validateRoleRefUpdate,
} from "./rbac-validation.ts";
import type { Column, ResourceKind } from "./types.ts";

const ROLE_REF_DESCRIPTION =
  "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.";

/** Subjects of one kind as upstream's SubjectsStrings lists them (ServiceAccounts as namespace:name). */
function subjectsCell(kind: string): (o: KubeObject) => string {
  return (o) =>
    subjectsOf(o)
      .filter((s) => s.kind === kind)
      .map((s) => (kind === "ServiceAccount" ? `${s.namespace ?? ""}:${s.name}` : s.name))
      .join(", ");
}

const bindingColumns: Column[] = [
  column("Role", "string", ROLE_REF_DESCRIPTION, (o) => `${roleRefOf(o).kind}/${roleRefOf(o).name}`),
  ageColumn,
  wide("Users", "string", "Users in the roleBinding", subjectsCell("User")),
  wide("Groups", "string", "Groups in the roleBinding", subjectsCell("Group")),
  wide("ServiceAccounts", "string", "ServiceAccounts in the roleBinding", subjectsCell("ServiceAccount")),
];

export const roleBindings: ResourceKind = {
  group: RBAC_GROUP,
  version: "v1",
  kind: "RoleBinding",
  plural: "rolebindings",
  singular: "rolebinding",
  namespaced: true,
  nameRule: "path-segment",
  columns: bindingColumns,
  defaults: defaultBinding,
  validate: (o) => validateBinding(o, true),
  validateUpdate: validateRoleRefUpdate,
};

export const clusterRoleBindings: ResourceKind = {
  group: RBAC_GROUP,
  version: "v1",
  kind: "ClusterRoleBinding",
  plural: "clusterrolebindings",
  singular: "clusterrolebinding",
  namespaced: false,
  nameRule: "path-segment",
  columns: bindingColumns,
  defaults: defaultBinding,
  validate: (o) => validateBinding(o, false),
  validateUpdate: validateRoleRefUpdate,
};
