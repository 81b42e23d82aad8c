// core/v1 ServiceAccount: secret references are reduced to their names on every write
// (cleanSecretReferences in pkg/registry/core/serviceaccount/strategy.go).
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import type { ResourceKind } from "./types.ts";

const secretsOf = (o: KubeObject): { name?: string }[] => (Array.isArray(o.secrets) ? o.secrets : []);

export const serviceAccounts: ResourceKind = {
  group: "",
  version: "v1",
  kind: "ServiceAccount",
  plural: "serviceaccounts",
  singular: "serviceaccount",
  namespaced: true,
  shortNames: ["sa"],
  nameRule: "subdomain",
  // TokenRequest (authentication.k8s.io/v1), api/token-request.ts.
  subresources: { token: true },
  columns: [
    column(
      "Secrets",
      "string",
      "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
      (o) => secretsOf(o).length,
    ),
    ageColumn,
  ],
  defaults(o) {
    if (Array.isArray(o.secrets)) o.secrets = secretsOf(o).map((s) => (s.name === undefined ? {} : { name: s.name }));
  },
};
