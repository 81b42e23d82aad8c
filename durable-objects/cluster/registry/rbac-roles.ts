// rbac.authorization.k8s.io/v1 Role and ClusterRole (pkg/registry/rbac/role, clusterrole). Both print
// NAME and CREATED AT as upstream's printers do.
import type { KubeObject } from "../../../kube/types.ts";
import { AGE_DESCRIPTION, column } from "./columns.ts";
import { RBAC_GROUP, validateAggregationRule, validateRules } from "./rbac-validation.ts";
import type { Column, ResourceKind } from "./types.ts";

const createdAt: Column = column(
  "Created At",
  "date",
  AGE_DESCRIPTION,
  (o: KubeObject) => o.metadata.creationTimestamp ?? null,
);

export const roles: ResourceKind = {
  group: RBAC_GROUP,
  version: "v1",
  kind: "Role",
  plural: "roles",
  singular: "role",
  namespaced: true,
  nameRule: "path-segment",
  columns: [createdAt],
  validate: (o) => validateRules(o, true),
};

export const clusterRoles: ResourceKind = {
  group: RBAC_GROUP,
  version: "v1",
  kind: "ClusterRole",
  plural: "clusterroles",
  singular: "clusterrole",
  namespaced: false,
  nameRule: "path-segment",
  columns: [createdAt],
  validate: (o) => [...validateRules(o, false), ...validateAggregationRule(o)],
};
