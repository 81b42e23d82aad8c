// apps/v1 ReplicaSet: SetDefaults_ReplicaSet, ValidateReplicaSetSpec, the apps/v1 immutable
// selector, and printReplicaSet's columns.
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { immutable } from "./meta.ts";
import { defaultPodTemplate } from "./pod-spec.ts";
import type { ResourceKind } from "./types.ts";
import { containersColumn, imagesColumn, selectorColumn, selectorString, statusCount } from "./workload-columns.ts";
import { nonNegative, validateAppsSpec } from "./workload-validation.ts";
import { templateSpec } from "./pod-templates.ts";

function defaultReplicaSet(o: KubeObject): void {
  o.spec ??= {};
  o.spec.replicas ??= 1;
  o.spec.template = defaultPodTemplate(o.spec.template);
}

export const replicaSets: ResourceKind = {
  group: "apps",
  version: "v1",
  kind: "ReplicaSet",
  plural: "replicasets",
  singular: "replicaset",
  namespaced: true,
  shortNames: ["rs"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true, scale: { selector: (o) => selectorString(o.spec?.selector) } },
  tracksGeneration: true,
  columns: [
    column(
      "Desired",
      "integer",
      "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
      (o) => Number(o.spec?.replicas ?? 0),
    ),
    statusCount(
      "Current",
      "replicas",
      "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
    ),
    statusCount("Ready", "readyReplicas", "The number of ready replicas for this replica set."),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    selectorColumn(
      "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      (o) => o.spec?.selector,
    ),
  ],
  fields: { "status.replicas": (o) => String(o.status?.replicas ?? 0) },
  defaults: defaultReplicaSet,
  podTemplate: templateSpec,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: (o) => [
    // Upstream's ReplicaSet message names deployments too (it shares their code).
    ...validateAppsSpec(o.spec, { empty: "deployment", template: "ReplicaSet" }),
    ...nonNegative(o.spec?.minReadySeconds, "spec.minReadySeconds"),
  ],
  validateUpdate: (o, old) => immutable("spec.selector", o.spec?.selector, old.spec?.selector),
};
