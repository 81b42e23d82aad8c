// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding (k8s.io/api/rbac/v1).
// Every list in these kinds is atomic upstream: a patch replaces rules and subjects whole.
import { atomicList, type Definitions, kindObject, meta, object, ref, string } from "./dsl.ts";

const rbac = (t: string) => `io.k8s.api.rbac.v1.${t}`;
const GROUP = "rbac.authorization.k8s.io";
const strings = (description: string) => atomicList(string(), description);

export const rbacDefinitions: Definitions = {
  [rbac("PolicyRule")]: object(
    {
      verbs: strings("Verbs the rule allows; '*' is every verb."),
      apiGroups: strings("API groups of the resources; '' is the core group, '*' every group."),
      resources: strings("Resources (and resource/subresource) the rule applies to; '*' is every resource."),
      resourceNames: strings("Optional allow list of object names; empty means every object."),
      nonResourceURLs: strings(
        "Non-resource URLs (such as /healthz) the rule allows, a '*' suffix matching a prefix. Only in ClusterRoles.",
      ),
    },
    "What a role allows: verbs on resources or on non-resource URLs.",
    { required: ["verbs"] },
  ),
  [rbac("AggregationRule")]: object(
    {
      clusterRoleSelectors: atomicList(
        ref(meta("LabelSelector")),
        "ClusterRoles matching any of these selectors have their rules merged into this one.",
      ),
    },
    "How a ClusterRole is built from other ClusterRoles.",
  ),
  [rbac("Subject")]: object(
    {
      kind: string('"User", "Group" or "ServiceAccount".'),
      apiGroup: string('"" for ServiceAccounts, "rbac.authorization.k8s.io" for Users and Groups.'),
      name: string("The name of the subject."),
      namespace: string("The namespace of a ServiceAccount subject."),
    },
    "A user, group or ServiceAccount a binding grants its role to.",
    { required: ["kind", "name"] },
  ),
  [rbac("RoleRef")]: object(
    {
      apiGroup: string("The group of the referenced role."),
      kind: string('"Role" or "ClusterRole".'),
      name: string("The name of the referenced role."),
    },
    "The role a binding grants. It cannot be changed.",
    { required: ["apiGroup", "kind", "name"], mapType: "atomic" },
  ),
  [rbac("Role")]: kindObject(
    { group: GROUP, version: "v1", kind: "Role" },
    "Rules that apply within one namespace, granted by RoleBindings.",
    { rules: atomicList(ref(rbac("PolicyRule")), "What this role allows.") },
  ),
  [rbac("ClusterRole")]: kindObject(
    { group: GROUP, version: "v1", kind: "ClusterRole" },
    "Rules that apply cluster-wide or, through RoleBindings, within a namespace.",
    {
      rules: atomicList(ref(rbac("PolicyRule")), "What this role allows."),
      aggregationRule: ref(
        rbac("AggregationRule"),
        "When set, the controller manages rules: the union of the selected ClusterRoles' rules.",
      ),
    },
  ),
  [rbac("RoleBinding")]: kindObject(
    { group: GROUP, version: "v1", kind: "RoleBinding" },
    "Grants a Role, or a ClusterRole, to subjects within one namespace.",
    {
      subjects: atomicList(ref(rbac("Subject")), "Who the role is granted to."),
      roleRef: ref(rbac("RoleRef"), "The Role or ClusterRole granted. It cannot be changed."),
    },
    { required: ["roleRef"] },
  ),
  [rbac("ClusterRoleBinding")]: kindObject(
    { group: GROUP, version: "v1", kind: "ClusterRoleBinding" },
    "Grants a ClusterRole to subjects in every namespace and at the cluster scope.",
    {
      subjects: atomicList(ref(rbac("Subject")), "Who the role is granted to."),
      roleRef: ref(rbac("RoleRef"), "The ClusterRole granted. It cannot be changed."),
    },
    { required: ["roleRef"] },
  ),
};
