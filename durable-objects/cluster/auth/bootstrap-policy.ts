// Upstream's bootstrap RBAC policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), trimmed to
// the groups this server serves, plus the two bindings that make the cluster's admin and view tokens
// users of cluster-admin and view. Data only; auth/bootstrap.ts writes it.
import type { KubeObject } from "../../../kube/types.ts";
import { AUTHENTICATED_GROUP, SERVICE_ACCOUNTS_GROUP } from "../../../kube/user-info.ts";
import { type PolicyRule, RBAC_GROUP } from "../registry/rbac-validation.ts";
import { ADMINS_GROUP, VIEWERS_GROUP } from "./authenticate.ts";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const RW = [...READ, ...WRITE];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
});
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

export const AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";
export const BOOTSTRAPPING = "kubernetes.io/bootstrapping";
const AGGREGATE_TO = (role: string) => `rbac.authorization.k8s.io/aggregate-to-${role}`;

function clusterRole(
  name: string,
  rules: PolicyRule[] | undefined,
  options: { labels?: Record<string, string>; aggregateFrom?: string } = {},
): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRole",
    metadata: {
      name,
      labels: { [BOOTSTRAPPING]: "rbac-defaults", ...options.labels },
      annotations: { [AUTOUPDATE]: "true" },
    },
    ...(rules ? { rules } : {}),
    ...(options.aggregateFrom
      ? {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_TO(options.aggregateFrom)]: "true" } }],
          },
        }
      : {}),
  };
}

function clusterRoleBinding(name: string, role: string, groups: string[]): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { [BOOTSTRAPPING]: "rbac-defaults" }, annotations: { [AUTOUPDATE]: "true" } },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role },
    subjects: groups.map((g) => ({ kind: "Group", apiGroup: RBAC_GROUP, name: g })),
  };
}

const AUTHORIZATION = "authorization.k8s.io";
const AUTHENTICATION = "authentication.k8s.io";
const METRICS = "metrics.k8s.io";

export const BOOTSTRAP_CLUSTER_ROLES: readonly KubeObject[] = [
  clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"]), urls(["*"], ["*"])]),
  clusterRole("system:discovery", [
    urls(
      ["get"],
      [
        "/livez",
        "/readyz",
        "/healthz",
        "/version",
        "/version/",
        "/openapi",
        "/openapi/*",
        "/api",
        "/api/*",
        "/apis",
        "/apis/*",
      ],
    ),
  ]),
  clusterRole("system:basic-user", [
    rule(["create"], [AUTHORIZATION], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
    rule(["create"], [AUTHENTICATION], ["selfsubjectreviews"]),
  ]),
  clusterRole("system:public-info-viewer", [urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/"])]),
  clusterRole("system:service-account-issuer-discovery", [
    urls(
      ["get"],
      [
        "/.well-known/openid-configuration",
        "/.well-known/openid-configuration/",
        "/openid/v1/jwks",
        "/openid/v1/jwks/",
      ],
    ),
  ]),
  clusterRole("admin", undefined, { aggregateFrom: "admin" }),
  clusterRole("edit", undefined, { aggregateFrom: "edit", labels: { [AGGREGATE_TO("admin")]: "true" } }),
  clusterRole("view", undefined, { aggregateFrom: "view", labels: { [AGGREGATE_TO("edit")]: "true" } }),
  clusterRole(
    "system:aggregate-to-admin",
    [
      rule(["create"], [AUTHORIZATION], ["localsubjectaccessreviews"]),
      rule(RW, [RBAC_GROUP], ["roles", "rolebindings"]),
    ],
    { labels: { [AGGREGATE_TO("admin")]: "true" } },
  ),
  clusterRole(
    "system:aggregate-to-edit",
    [
      rule(READ, [""], ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"]),
      rule(["impersonate"], [""], ["serviceaccounts"]),
      rule(WRITE, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
      rule(["create"], [""], ["pods/eviction"]),
      rule(
        WRITE,
        [""],
        [
          "replicationcontrollers",
          "replicationcontrollers/scale",
          "serviceaccounts",
          "services",
          "services/proxy",
          "persistentvolumeclaims",
          "configmaps",
          "secrets",
          "events",
        ],
      ),
      rule(["create"], [""], ["serviceaccounts/token"]),
      rule(
        WRITE,
        ["apps"],
        [
          "statefulsets",
          "statefulsets/scale",
          "daemonsets",
          "deployments",
          "deployments/scale",
          "deployments/rollback",
          "replicasets",
          "replicasets/scale",
        ],
      ),
      rule(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
      rule(WRITE, ["batch"], ["jobs", "cronjobs"]),
      rule(WRITE, ["policy"], ["poddisruptionbudgets"]),
      rule(WRITE, ["networking.k8s.io"], ["networkpolicies", "ingresses"]),
    ],
    { labels: { [AGGREGATE_TO("edit")]: "true" } },
  ),
  clusterRole(
    "system:aggregate-to-view",
    [
      rule(
        READ,
        [""],
        [
          "pods",
          "replicationcontrollers",
          "replicationcontrollers/scale",
          "serviceaccounts",
          "services",
          "services/status",
          "endpoints",
          "persistentvolumeclaims",
          "persistentvolumeclaims/status",
          "configmaps",
        ],
      ),
      rule(
        READ,
        [""],
        [
          "limitranges",
          "resourcequotas",
          "bindings",
          "events",
          "pods/status",
          "resourcequotas/status",
          "namespaces/status",
          "replicationcontrollers/status",
          "pods/log",
        ],
      ),
      rule(READ, [""], ["namespaces"]),
      rule(READ, ["discovery.k8s.io"], ["endpointslices"]),
      rule(
        READ,
        ["apps"],
        [
          "controllerrevisions",
          "statefulsets",
          "statefulsets/status",
          "statefulsets/scale",
          "daemonsets",
          "daemonsets/status",
          "deployments",
          "deployments/status",
          "deployments/scale",
          "replicasets",
          "replicasets/status",
          "replicasets/scale",
        ],
      ),
      rule(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
      rule(READ, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
      rule(READ, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
      rule(READ, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"]),
    ],
    { labels: { [AGGREGATE_TO("view")]: "true" } },
  ),
  // What metrics-server installs beside its API: pod and node metrics for every aggregated role.
  clusterRole("system:aggregated-metrics-reader", [rule(READ, [METRICS], ["pods", "nodes"])], {
    labels: { [AGGREGATE_TO("view")]: "true", [AGGREGATE_TO("edit")]: "true", [AGGREGATE_TO("admin")]: "true" },
  }),
  clusterRole("system:node", [
    rule(["create"], [AUTHENTICATION], ["tokenreviews"]),
    rule(["create"], [AUTHORIZATION], ["subjectaccessreviews", "localsubjectaccessreviews"]),
    rule(READ, [""], ["services"]),
    rule(["create", "get", "list", "watch", "patch", "update"], [""], ["nodes"]),
    rule(["patch", "update"], [""], ["nodes/status"]),
    rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"]),
    rule(READ, [""], ["pods"]),
    rule(["create", "delete"], [""], ["pods"]),
    rule(["update", "patch"], [""], ["pods/status"]),
    rule(["create"], [""], ["pods/eviction"]),
    rule(READ, [""], ["configmaps", "secrets"]),
    rule(["get"], [""], ["persistentvolumeclaims", "persistentvolumes"]),
    rule(["create"], [""], ["serviceaccounts/token"]),
    rule(["get", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]),
  ]),
  clusterRole("system:node-proxier", [
    rule(["list", "watch"], [""], ["services", "endpoints"]),
    rule(["get", "list", "watch"], [""], ["nodes"]),
    rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"]),
    rule(["list", "watch"], ["discovery.k8s.io"], ["endpointslices"]),
  ]),
  clusterRole("system:kube-dns", [rule(["list", "watch"], [""], ["endpoints", "services"])]),
  // Flotilla's view token read nodes and the other cluster-scoped kinds before RBAC; `view` has none of them.
  clusterRole("flotilla:cluster-reader", [
    rule(READ, [""], ["nodes", "nodes/status", "namespaces"]),
    rule(READ, ["scheduling.k8s.io"], ["priorityclasses"]),
    rule(READ, ["coordination.k8s.io"], ["leases"]),
    rule(READ, ["events.k8s.io"], ["events"]),
  ]),
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly KubeObject[] = [
  clusterRoleBinding("cluster-admin", "cluster-admin", ["system:masters"]),
  clusterRoleBinding("system:discovery", "system:discovery", [AUTHENTICATED_GROUP]),
  clusterRoleBinding("system:basic-user", "system:basic-user", [AUTHENTICATED_GROUP]),
  clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [
    AUTHENTICATED_GROUP,
    "system:unauthenticated",
  ]),
  clusterRoleBinding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", [
    SERVICE_ACCOUNTS_GROUP,
  ]),
  clusterRoleBinding("flotilla:admins", "cluster-admin", [ADMINS_GROUP]),
  clusterRoleBinding("flotilla:viewers", "view", [VIEWERS_GROUP]),
  clusterRoleBinding("flotilla:viewers-cluster", "flotilla:cluster-reader", [VIEWERS_GROUP]),
];
