// core/v1 ReplicationController: SetDefaults_ReplicationController, ValidateReplicationController
// (an equality selector that must be non-empty and match the template) and printReplicationController.
import { type FieldError, invalid, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column, wide } from "./columns.ts";
import { defaultPodTemplate, validatePodTemplate } from "./pod-spec.ts";
import { templateSpec } from "./pod-templates.ts";
import type { ResourceKind } from "./types.ts";
import { containersColumn, formatLabels, imagesColumn, selectorString, statusCount } from "./workload-columns.ts";
import { appsTemplateRules, nonNegative, SELECTOR_MISMATCH } from "./workload-validation.ts";

type Labels = Record<string, string>;

/** The template's labels fill an absent selector and the controller's own absent labels. */
function defaultReplicationController(o: KubeObject): void {
  o.spec ??= {};
  const labels: Labels | undefined = o.spec.template?.metadata?.labels;
  if (labels) {
    if (Object.keys(o.spec.selector ?? {}).length === 0) o.spec.selector = { ...labels };
    if (Object.keys(o.metadata.labels ?? {}).length === 0) o.metadata.labels = { ...labels };
  }
  o.spec.replicas ??= 1;
  if (o.spec.template) o.spec.template = defaultPodTemplate(o.spec.template);
}

const selectorMatchesLabels = (selector: Labels, labels: Labels | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** ValidateReplicationControllerSpec, in upstream's order. */
export function validateReplicationControllerSpec(
  // biome-ignore lint/suspicious/noExplicitAny: workload specs are plain JSON from the client
  spec: Record<string, any> | undefined,
): FieldError[] {
  const s = spec ?? {};
  const selector: Labels = s.selector ?? {};
  const nonEmpty = Object.keys(selector).length > 0;
  const errs = [...nonNegative(s.minReadySeconds, "spec.minReadySeconds")];
  if (!nonEmpty) errs.push(required("spec.selector"));
  errs.push(...nonNegative(s.replicas, "spec.replicas"));
  // ValidatePodTemplateSpecForRC
  if (!s.template) return [...errs, required("spec.template")];
  const labels: Labels | undefined = s.template.metadata?.labels;
  if (nonEmpty && !selectorMatchesLabels(selector, labels))
    errs.push(invalid("spec.template.metadata.labels", labels ?? {}, SELECTOR_MISMATCH));
  errs.push(...validatePodTemplate(s.template, "spec.template"));
  errs.push(...appsTemplateRules(s.template, "ReplicationController"));
  return errs;
}

export const replicationControllers: ResourceKind = {
  group: "",
  version: "v1",
  kind: "ReplicationController",
  plural: "replicationcontrollers",
  singular: "replicationcontroller",
  namespaced: true,
  shortNames: ["rc"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true, scale: { selector: (o) => selectorString({ matchLabels: o.spec?.selector }) } },
  tracksGeneration: true,
  columns: [
    column(
      "Desired",
      "integer",
      "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
      (o) => Number(o.spec?.replicas ?? 0),
    ),
    statusCount(
      "Current",
      "replicas",
      "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller",
    ),
    statusCount("Ready", "readyReplicas", "The number of ready replicas for this replication controller."),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    wide(
      "Selector",
      "string",
      "Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels#label-selectors",
      (o) => formatLabels(o.spec?.selector),
    ),
  ],
  fields: { "status.replicas": (o) => String(o.status?.replicas ?? 0) },
  defaults: defaultReplicationController,
  podTemplate: templateSpec,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: (o) => validateReplicationControllerSpec(o.spec),
};
