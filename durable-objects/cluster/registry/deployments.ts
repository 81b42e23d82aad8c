// apps/v1 Deployment: SetDefaults_Deployment, ValidateDeploymentSpec / ValidateDeploymentStrategy,
// the apps/v1 immutable selector, and printDeployment's columns.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { immutable } from "./meta.ts";
import { defaultPodTemplate } from "./pod-spec.ts";
import type { ResourceKind } from "./types.ts";
import { containersColumn, imagesColumn, readyOfDesired, selectorString } from "./workload-columns.ts";
import {
  intOrPercentErrors,
  intOrPercentValue,
  nonNegative,
  notMoreThan100Percent,
  validateAppsSpec,
} from "./workload-validation.ts";
import { templateSpec } from "./pod-templates.ts";

function defaultDeployment(o: KubeObject): void {
  o.spec ??= {};
  const spec: LooseObject = o.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ||= "RollingUpdate";
  if (spec.strategy.type === "RollingUpdate") {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= "25%";
    spec.strategy.rollingUpdate.maxSurge ??= "25%";
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.template = defaultPodTemplate(spec.template);
}

function validateRollingUpdate(ru: LooseObject, field: string): FieldError[] {
  const errs = [
    ...intOrPercentErrors(ru.maxUnavailable, `${field}.maxUnavailable`),
    ...intOrPercentErrors(ru.maxSurge, `${field}.maxSurge`),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
    errs.push(invalid(`${field}.maxUnavailable`, ru.maxUnavailable, "may not be 0 when `maxSurge` is 0"));
  return [...errs, ...notMoreThan100Percent(ru.maxUnavailable, `${field}.maxUnavailable`)];
}

/** ValidateDeploymentStrategy. */
function validateStrategy(strategy: LooseObject | undefined): FieldError[] {
  const field = "spec.strategy";
  switch (strategy?.type) {
    case "Recreate":
      return strategy.rollingUpdate
        ? [forbidden(`${field}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")]
        : [];
    case "RollingUpdate":
      return strategy.rollingUpdate
        ? validateRollingUpdate(strategy.rollingUpdate, `${field}.rollingUpdate`)
        : [required(`${field}.rollingUpdate`, "this should be defaulted and never be nil")];
    default:
      // Upstream reports the whole strategy at spec.strategy; its type is the telling part.
      return [notSupported(field, strategy?.type ?? "", ["Recreate", "RollingUpdate"])];
  }
}

function validateDeployment(o: KubeObject): FieldError[] {
  const spec: LooseObject = o.spec ?? {};
  const errs = [
    ...validateAppsSpec(spec, { empty: "deployment", template: "ReplicaSet" }),
    ...validateStrategy(spec.strategy),
    ...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"),
    ...nonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === "number") {
    errs.push(...nonNegative(deadline, "spec.progressDeadlineSeconds"));
    if (deadline <= (spec.minReadySeconds ?? 0))
      errs.push(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
  }
  return errs;
}

export const deployments: ResourceKind = {
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  singular: "deployment",
  namespaced: true,
  shortNames: ["deploy"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true, scale: { selector: (o) => selectorString(o.spec?.selector) } },
  tracksGeneration: true,
  columns: [
    column("Ready", "string", "Number of the pod with ready state", readyOfDesired),
    column(
      "Up-to-date",
      "string",
      "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
      (o) => Number(o.status?.updatedReplicas ?? 0),
    ),
    column(
      "Available",
      "string",
      "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
      (o) => Number(o.status?.availableReplicas ?? 0),
    ),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    column(
      "Selector",
      "string",
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
      (o) => selectorString(o.spec?.selector),
      { priority: 1 },
    ),
  ],
  defaults: defaultDeployment,
  podTemplate: templateSpec,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: validateDeployment,
  validateUpdate: (o, old) => immutable("spec.selector", o.spec?.selector, old.spec?.selector),
};
