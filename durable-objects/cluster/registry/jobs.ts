// batch/v1 Job: SetDefaults_Job, the generated selector (PrepareForCreate), ValidateJob /
// ValidateJobSpecUpdate (pkg/apis/batch/validation), and printJob's columns.
import { humanDuration } from "../../../kube/duration.ts";
import { type FieldError, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1123Label } from "../../../kube/names.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { immutable, sameJson } from "./meta.ts";
import { defaultPodTemplate, validatePodTemplate } from "./pod-spec.ts";
import type { PrintContext, ResourceKind } from "./types.ts";
import { containersColumn, imagesColumn, selectorColumn } from "./workload-columns.ts";
import { SELECTOR_MISMATCH, nonNegative, selectorMatches, validateLabelSelector } from "./workload-validation.ts";
import { templateSpec } from "./pod-templates.ts";

export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
const LEGACY_JOB_NAME_LABEL = "job-name";
const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;

function defaultJob(o: KubeObject): void {
  o.spec ??= {};
  const spec: LooseObject = o.spec;
  if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? 2147483647 : 6;
  spec.completionMode ??= "NonIndexed";
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? "Failed" : "TerminatingOrFailed";
  spec.template = defaultPodTemplate(spec.template);
  // Upstream defaults the job's labels from its template's (on every read, so generated ones too).
  const labels = spec.template.metadata?.labels;
  if (labels && Object.keys(o.metadata.labels ?? {}).length === 0) o.metadata.labels = { ...labels };
}

/** generateSelector: label the pods with the job's uid and name, and select by the uid. */
function generateSelector(o: KubeObject): void {
  const spec: LooseObject = o.spec;
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.labels ??= {};
  const labels: Record<string, string> = spec.template.metadata.labels;
  const name = o.metadata.name ?? "";
  const uid = o.metadata.uid ?? "";
  // A label the client set is kept; a conflict is then reported by validation.
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[key] ??= name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[key] ??= uid;
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  spec.selector.matchLabels[CONTROLLER_UID_LABEL] ??= uid;
}

function prepareForCreate(o: KubeObject): void {
  o.spec ??= {};
  if (o.spec.manualSelector !== true) generateSelector(o);
  o.status = {};
}

/** ValidateHasLabel on the template's metadata. */
function hasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const field = `spec.template.metadata.labels[${key}]`;
  if (!labels || !(key in labels)) return [required(field, `must be '${expected}'`)];
  return labels[key] === expected ? [] : [invalid(field, labels, `must be '${expected}'`)];
}

/** validateGeneratedSelector: the generated labels and selector must be intact. */
function validateGeneratedSelector(o: KubeObject): FieldError[] {
  const spec: LooseObject = o.spec ?? {};
  if (spec.manualSelector === true || !spec.selector) return [];
  const { name = "", uid = "" } = o.metadata;
  const errs: FieldError[] = uid ? [] : [required("metadata.uid")];
  const labels = spec.template?.metadata?.labels;
  const expected: Record<string, string> = {
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
  };
  for (const [key, value] of Object.entries(expected)) errs.push(...hasLabel(labels, key, value));
  if (selectorMatches(spec.selector, expected) === false)
    errs.push(invalid("spec.selector", spec.selector, "`selector` not auto-generated"));
  return errs;
}

function restartPolicyErrors(spec: LooseObject, field: string): FieldError[] {
  const policy = spec.template?.spec?.restartPolicy;
  if (!policy || policy === "Always") return [required(field, 'valid values: "OnFailure", "Never"')];
  if (policy !== "OnFailure" && policy !== "Never") return [notSupported(field, policy, ["OnFailure", "Never"])];
  if (spec.podFailurePolicy && policy !== "Never")
    return [invalid(field, policy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

function completionModeErrors(spec: LooseObject, at: string): FieldError[] {
  const mode = spec.completionMode;
  if (mode == null) return [];
  if (mode !== "NonIndexed" && mode !== "Indexed")
    return [notSupported(`${at}.completionMode`, mode, ["NonIndexed", "Indexed"])];
  if (mode !== "Indexed") return [];
  const errs: FieldError[] = [];
  if (spec.completions == null) errs.push(required(`${at}.completions`, "when completion mode is Indexed"));
  if (typeof spec.parallelism === "number" && spec.parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB)
    errs.push(
      invalid(
        `${at}.parallelism`,
        spec.parallelism,
        `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`,
      ),
    );
  return errs;
}

function podReplacementErrors(spec: LooseObject, at: string): FieldError[] {
  const policy = spec.podReplacementPolicy;
  if (policy == null) return [];
  const allowed = spec.podFailurePolicy ? ["Failed"] : ["Failed", "TerminatingOrFailed"];
  return allowed.includes(policy) ? [] : [notSupported(`${at}.podReplacementPolicy`, policy, allowed)];
}

/** validateJobSpec: the part shared with CronJob job templates, under `at` ("spec" or "spec.jobTemplate.spec"). */
export function validateJobSpecCommon(spec: LooseObject | undefined, at: string): FieldError[] {
  const s = spec ?? {};
  const numbers = ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"];
  return [
    ...numbers.flatMap((n) => nonNegative(s[n], `${at}.${n}`)),
    ...completionModeErrors(s, at),
    ...podReplacementErrors(s, at),
    ...validatePodTemplate(s.template, `${at}.template`),
    ...restartPolicyErrors(s, `${at}.template.spec.restartPolicy`),
  ];
}

/** ValidateJobSpec: the common part plus the selector rules. */
function validateJobSpec(spec: LooseObject | undefined): FieldError[] {
  const s = spec ?? {};
  const errs = validateJobSpecCommon(s, "spec");
  if (!s.selector) errs.push(required("spec.selector"));
  else errs.push(...validateLabelSelector(s.selector, "spec.selector"));
  const labels = s.template?.metadata?.labels;
  if (selectorMatches(s.selector, labels) === false)
    errs.push(invalid("spec.template.metadata.labels", labels ?? {}, SELECTOR_MISMATCH));
  return errs;
}

function validateJob(o: KubeObject): FieldError[] {
  const errs = [...validateGeneratedSelector(o), ...validateJobSpec(o.spec)];
  const { completionMode, completions } = o.spec ?? {};
  if (completionMode === "Indexed" && typeof completions === "number" && completions > 0) {
    const hostname = `${o.metadata.name ?? ""}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0)
      errs.push(
        invalid(
          "metadata.name",
          o.metadata.name ?? "",
          `will not able to create pod with invalid DNS label: ${hostname}`,
        ),
      );
  }
  return errs;
}

/** validateCompletions: elastic Indexed Jobs may change completions together with parallelism. */
function completionsUpdateErrors(spec: LooseObject, old: LooseObject): FieldError[] {
  if (spec.completionMode !== "Indexed") return immutable("spec.completions", spec.completions, old.completions);
  if (sameJson(spec.completions, old.completions) || spec.completions == null) return [];
  return spec.completions === spec.parallelism
    ? []
    : [invalid("spec.completions", spec.completions, "can only be modified in tandem with spec.parallelism")];
}

/** validatePodTemplateUpdate: a suspended job that never started may change its scheduling directives. */
function templateUpdateErrors(o: KubeObject, old: KubeObject): FieldError[] {
  const template: LooseObject = o.spec?.template ?? {};
  let before: LooseObject = old.spec?.template ?? {};
  if (old.spec?.suspend === true && !old.status?.startTime) {
    before = structuredClone(before);
    before.metadata = {
      ...(before.metadata ?? {}),
      labels: template.metadata?.labels,
      annotations: template.metadata?.annotations,
    };
    before.spec = { ...(before.spec ?? {}) };
    for (const k of ["nodeSelector", "tolerations", "schedulingGates"]) before.spec[k] = template.spec?.[k];
    if (template.spec?.affinity || before.spec.affinity)
      before.spec.affinity = { ...(before.spec.affinity ?? {}), nodeAffinity: template.spec?.affinity?.nodeAffinity };
  }
  return immutable("spec.template", template, before);
}

function validateJobUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const spec: LooseObject = o.spec ?? {};
  const before: LooseObject = old.spec ?? {};
  return [
    ...completionsUpdateErrors(spec, before),
    ...immutable("spec.selector", spec.selector, before.selector),
    ...templateUpdateErrors(o, old),
    ...["completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"].flatMap((k) =>
      immutable(`spec.${k}`, spec[k], before[k]),
    ),
  ];
}

/** hasJobCondition: the first condition of the type decides. */
function hasCondition(o: KubeObject, type: string): boolean {
  const c = (o.status?.conditions ?? []).find((x: { type: string }) => x.type === type);
  return c?.status === "True";
}

export function jobStatusCell(o: KubeObject): string {
  if (hasCondition(o, "Complete")) return "Complete";
  if (hasCondition(o, "Failed")) return "Failed";
  if (o.metadata.deletionTimestamp) return "Terminating";
  if (hasCondition(o, "Suspended")) return "Suspended";
  if (hasCondition(o, "FailureTarget")) return "FailureTarget";
  return "Running";
}

export function completionsCell(o: KubeObject): string {
  const succeeded = Number(o.status?.succeeded ?? 0);
  if (o.spec?.completions != null) return `${succeeded}/${o.spec.completions}`;
  const parallelism = Number(o.spec?.parallelism ?? 0);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function durationCell(o: KubeObject, ctx: PrintContext): string {
  const start = o.status?.startTime ? Date.parse(o.status.startTime) : Number.NaN;
  if (Number.isNaN(start)) return "";
  const done = o.status?.completionTime ? Date.parse(o.status.completionTime) : Number.NaN;
  return humanDuration((Number.isNaN(done) ? ctx.now : done) - start);
}

const SELECTOR_DOC =
  "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

export const jobs: ResourceKind = {
  group: "batch",
  version: "v1",
  kind: "Job",
  plural: "jobs",
  singular: "job",
  namespaced: true,
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true },
  tracksGeneration: true,
  columns: [
    column("Status", "string", "Status of the job.", jobStatusCell),
    column(
      "Completions",
      "string",
      "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.",
      completionsCell,
    ),
    column("Duration", "string", "Time required to complete the job.", durationCell),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    selectorColumn(SELECTOR_DOC, (o) => o.spec?.selector),
  ],
  fields: { "status.successful": (o) => String(o.status?.succeeded ?? 0) },
  defaults: defaultJob,
  podTemplate: templateSpec,
  prepareForCreate,
  validate: validateJob,
  validateUpdate: validateJobUpdate,
};
