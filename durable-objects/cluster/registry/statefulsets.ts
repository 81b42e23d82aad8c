// apps/v1 StatefulSet: SetDefaults_StatefulSet, ValidateStatefulSetSpec / ValidateStatefulSetUpdate,
// and printStatefulSet's columns.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { sameJson } from "./meta.ts";
import { defaultPodTemplate, validatePodTemplate } from "./pod-spec.ts";
import type { ResourceKind } from "./types.ts";
import { containersColumn, imagesColumn, readyOfDesired, selectorString } from "./workload-columns.ts";
import { nonNegative, validateWorkloadSelector } from "./workload-validation.ts";
import { templateSpec } from "./pod-templates.ts";

function defaultStatefulSet(o: KubeObject): void {
  o.spec ??= {};
  const spec: LooseObject = o.spec;
  spec.podManagementPolicy ||= "OrderedReady";
  spec.updateStrategy ??= {};
  if (!spec.updateStrategy.type) {
    spec.updateStrategy.type = "RollingUpdate";
    spec.updateStrategy.rollingUpdate ??= {};
  }
  if (spec.updateStrategy.type === "RollingUpdate" && spec.updateStrategy.rollingUpdate)
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= "Retain";
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= "Retain";
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.template = defaultPodTemplate(spec.template);
}

const RETENTION = ["Retain", "Delete"];

function validateUpdateStrategy(strategy: LooseObject | undefined): FieldError[] {
  const field = "spec.updateStrategy";
  switch (strategy?.type) {
    case undefined:
    case "":
      return [required(field)];
    case "OnDelete":
      return strategy.rollingUpdate
        ? [invalid(`${field}.rollingUpdate`, strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")]
        : [];
    case "RollingUpdate":
      return nonNegative(strategy.rollingUpdate?.partition, `${field}.rollingUpdate.partition`);
    default:
      return [invalid(field, strategy, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateRetention(policy: LooseObject | undefined): FieldError[] {
  const field = "spec.persistentVolumeClaimRetentionPolicy";
  if (!policy) return [];
  return ["whenDeleted", "whenScaled"].flatMap((k) =>
    RETENTION.includes(policy[k]) ? [] : [notSupported(`${field}.${k}`, policy[k] ?? "", RETENTION)],
  );
}

/** ValidateStatefulSetSpec, in upstream's order. */
function validateStatefulSet(o: KubeObject): FieldError[] {
  const spec: LooseObject = o.spec ?? {};
  const errs: FieldError[] = [];
  if (!["OrderedReady", "Parallel"].includes(spec.podManagementPolicy))
    errs.push(
      spec.podManagementPolicy
        ? notSupported("spec.podManagementPolicy", spec.podManagementPolicy, ["OrderedReady", "Parallel"])
        : required("spec.podManagementPolicy"),
    );
  errs.push(
    ...validateUpdateStrategy(spec.updateStrategy),
    ...validateRetention(spec.persistentVolumeClaimRetentionPolicy),
  );
  errs.push(
    ...nonNegative(spec.replicas, "spec.replicas"),
    ...nonNegative(spec.minReadySeconds, "spec.minReadySeconds"),
  );
  errs.push(...validateWorkloadSelector(spec, { emptyWord: "statefulset" }));
  errs.push(...validatePodTemplate(templateWithClaims(spec), "spec.template"));
  const tpl: LooseObject = spec.template?.spec ?? {};
  if (tpl.restartPolicy !== "Always")
    errs.push(notSupported("spec.template.spec.restartPolicy", tpl.restartPolicy ?? "", ["Always"]));
  if (tpl.activeDeadlineSeconds !== undefined && tpl.activeDeadlineSeconds !== null)
    errs.push(
      forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in StatefulSet is not Supported"),
    );
  return errs;
}

/** The spec fields a StatefulSet update may change. */
const MUTABLE = [
  "replicas",
  "ordinals",
  "template",
  "updateStrategy",
  "persistentVolumeClaimRetentionPolicy",
  "minReadySeconds",
  "revisionHistoryLimit",
];

export const STATEFULSET_UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** ValidateStatefulSetUpdate: everything else in the spec is fixed at creation. */
function validateStatefulSetUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const next: LooseObject = { ...(o.spec ?? {}) };
  for (const k of MUTABLE) next[k] = old.spec?.[k];
  return sameJson(next, old.spec ?? {}) ? [] : [forbidden("spec", STATEFULSET_UPDATE_FORBIDDEN)];
}

/**
 * The template as its pods will see it: each volume claim template becomes a volume, so mounts
 * of claims validate (upstream skips the pod spec here for that reason; we validate with them).
 */
function templateWithClaims(spec: LooseObject): LooseObject | undefined {
  const claims: LooseObject[] = spec.volumeClaimTemplates ?? [];
  if (!spec.template || claims.length === 0) return spec.template;
  const volumes = claims.map((c) => ({
    name: c.metadata?.name,
    persistentVolumeClaim: { claimName: c.metadata?.name },
  }));
  const tpl = structuredClone(spec.template);
  tpl.spec = { ...(tpl.spec ?? {}), volumes: [...(tpl.spec?.volumes ?? []), ...volumes] };
  return tpl;
}

export const statefulSets: ResourceKind = {
  group: "apps",
  version: "v1",
  kind: "StatefulSet",
  plural: "statefulsets",
  singular: "statefulset",
  namespaced: true,
  shortNames: ["sts"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true, scale: { selector: (o) => selectorString(o.spec?.selector) } },
  tracksGeneration: true,
  columns: [
    column("Ready", "string", "Number of the pod with ready state", readyOfDesired),
    ageColumn,
    containersColumn(),
    imagesColumn(),
  ],
  defaults: defaultStatefulSet,
  podTemplate: templateSpec,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: validateStatefulSet,
  validateUpdate: validateStatefulSetUpdate,
};
