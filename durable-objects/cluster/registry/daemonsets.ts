// apps/v1 DaemonSet: SetDefaults_DaemonSet, ValidateDaemonSetSpec / ValidateDaemonSetUpdateStrategy,
// the apps/v1 immutable selector, and printDaemonSet's columns.
import { type FieldError, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { immutable } from "./meta.ts";
import { defaultPodTemplate, validatePodTemplate } from "./pod-spec.ts";
import type { ResourceKind } from "./types.ts";
import { containersColumn, formatLabels, imagesColumn, selectorColumn, statusCount } from "./workload-columns.ts";
import {
  SELECTOR_MISMATCH,
  appsTemplateRules,
  intOrPercentErrors,
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  selectorMatches,
  validateLabelSelector,
} from "./workload-validation.ts";
import { templateSpec } from "./pod-templates.ts";

function defaultDaemonSet(o: KubeObject): void {
  o.spec ??= {};
  const spec: LooseObject = o.spec;
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ||= "RollingUpdate";
  if (spec.updateStrategy.type === "RollingUpdate") {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.template = defaultPodTemplate(spec.template);
}

/** ValidateRollingUpdateDaemonSet: exactly one of maxUnavailable and maxSurge is non-zero. */
function validateRollingUpdate(ru: LooseObject, field: string): FieldError[] {
  const errs = [
    ...intOrPercentErrors(ru.maxUnavailable, `${field}.maxUnavailable`),
    ...intOrPercentErrors(ru.maxSurge, `${field}.maxSurge`),
    ...notMoreThan100Percent(ru.maxUnavailable, `${field}.maxUnavailable`),
    ...notMoreThan100Percent(ru.maxSurge, `${field}.maxSurge`),
  ];
  const unavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const surge = intOrPercentValue(ru.maxSurge) !== 0;
  if (unavailable && surge)
    errs.push(invalid(`${field}.maxSurge`, ru.maxSurge, "may not be set when maxUnavailable is non-zero"));
  if (!unavailable && !surge) errs.push(required(`${field}.maxUnavailable`, "cannot be 0 when maxSurge is 0"));
  return errs;
}

function validateUpdateStrategy(strategy: LooseObject | undefined): FieldError[] {
  const field = "spec.updateStrategy";
  switch (strategy?.type) {
    case "OnDelete":
      return [];
    case "RollingUpdate":
      return strategy.rollingUpdate
        ? validateRollingUpdate(strategy.rollingUpdate, `${field}.rollingUpdate`)
        : [required(`${field}.rollingUpdate`)];
    default:
      return [notSupported(field, strategy?.type ?? "", ["RollingUpdate", "OnDelete"])];
  }
}

/** ValidateDaemonSetSpec, in upstream's order. */
function validateDaemonSet(o: KubeObject): FieldError[] {
  const spec: LooseObject = o.spec ?? {};
  const sel = spec.selector;
  const labels = spec.template?.metadata?.labels;
  const errs = validateLabelSelector(sel, "spec.selector");
  if (selectorMatches(sel, labels) === false)
    errs.push(invalid("spec.template.metadata.labels", labels ?? {}, SELECTOR_MISMATCH));
  if (sel && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0)
    errs.push(invalid("spec.selector", sel, "empty selector is invalid for daemonset"));
  return [
    ...errs,
    ...validatePodTemplate(spec.template, "spec.template"),
    ...appsTemplateRules(spec.template, "DaemonSet"),
    ...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"),
    ...nonNegative(spec.templateGeneration, "spec.templateGeneration"),
    ...validateUpdateStrategy(spec.updateStrategy),
    ...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"),
  ];
}

export const daemonSets: ResourceKind = {
  group: "apps",
  version: "v1",
  kind: "DaemonSet",
  plural: "daemonsets",
  singular: "daemonset",
  namespaced: true,
  shortNames: ["ds"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true },
  tracksGeneration: true,
  columns: [
    statusCount(
      "Desired",
      "desiredNumberScheduled",
      "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
    ),
    statusCount(
      "Current",
      "currentNumberScheduled",
      "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
    ),
    statusCount(
      "Ready",
      "numberReady",
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
    ),
    statusCount(
      "Up-to-date",
      "updatedNumberScheduled",
      "The total number of nodes that are running updated daemon pod",
    ),
    statusCount(
      "Available",
      "numberAvailable",
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)",
    ),
    column(
      "Node Selector",
      "string",
      "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
      (o) => formatLabels(o.spec?.template?.spec?.nodeSelector),
    ),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    selectorColumn(
      "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      (o) => o.spec?.selector,
    ),
  ],
  defaults: defaultDaemonSet,
  podTemplate: templateSpec,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: validateDaemonSet,
  validateUpdate: (o, old) => immutable("spec.selector", o.spec?.selector, old.spec?.selector),
};
