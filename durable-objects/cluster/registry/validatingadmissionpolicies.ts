// admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// (pkg/registry/admissionregistration): cluster-scoped, validated with their CEL compiled (see
// admission-policy-validation.ts), printed as upstream's printValidatingAdmissionPolicy(Binding).
import type { KubeObject } from "../../../kube/types.ts";
import { defaultBinding, defaultPolicy, validateBinding, validatePolicy } from "./admission-policy-validation.ts";
import { ageColumn, column } from "./columns.ts";
import type { ResourceKind } from "./types.ts";

export const ADMISSION_GROUP = "admissionregistration.k8s.io";
export const POLICIES = "validatingadmissionpolicies.admissionregistration.k8s.io";
export const POLICY_BINDINGS = "validatingadmissionpolicybindings.admissionregistration.k8s.io";

function paramKindCell(o: KubeObject): string {
  const pk = o.spec?.paramKind;
  return pk ? `${pk.apiVersion ?? ""}/${pk.kind ?? ""}` : "<unset>";
}

function paramRefCell(o: KubeObject): string {
  const ref = o.spec?.paramRef;
  if (!ref) return "<unset>";
  if (ref.name) return `${ref.namespace || "*"}/${ref.name}`;
  return "<selector>";
}

export const validatingAdmissionPolicies: ResourceKind = {
  group: ADMISSION_GROUP,
  version: "v1",
  kind: "ValidatingAdmissionPolicy",
  plural: "validatingadmissionpolicies",
  singular: "validatingadmissionpolicy",
  namespaced: false,
  categories: ["api-extensions"],
  nameRule: "subdomain",
  subresources: { status: true },
  tracksGeneration: true,
  columns: [
    column("Validations", "integer", "Validations indicates the number of validation rules.", (o) =>
      Array.isArray(o.spec?.validations) ? o.spec.validations.length : 0,
    ),
    column(
      "ParamKind",
      "string",
      "ParamKind specifies the kind of resources used to parameterize this policy",
      paramKindCell,
    ),
    ageColumn,
  ],
  defaults: defaultPolicy,
  validate: validatePolicy,
};

export const validatingAdmissionPolicyBindings: ResourceKind = {
  group: ADMISSION_GROUP,
  version: "v1",
  kind: "ValidatingAdmissionPolicyBinding",
  plural: "validatingadmissionpolicybindings",
  singular: "validatingadmissionpolicybinding",
  namespaced: false,
  categories: ["api-extensions"],
  nameRule: "subdomain",
  tracksGeneration: true,
  columns: [
    column(
      "PolicyName",
      "string",
      "PolicyName indicates the policy definition which the policy binding binded to.",
      (o) => String(o.spec?.policyName ?? ""),
    ),
    column(
      "ParamRef",
      "string",
      "ParamRef indicates the param resource which sets the configration param",
      paramRefCell,
    ),
    ageColumn,
  ],
  defaults: defaultBinding,
  validate: validateBinding,
};
