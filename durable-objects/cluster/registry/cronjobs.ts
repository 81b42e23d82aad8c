// batch/v1 CronJob: SetDefaults_CronJob, ValidateCronJobCreate / validateCronJobSpec (with the
// schedule checked by kube/cron, robfig/cron's ParseStandard with its error texts), and printCronJob's columns.
import { type FieldError, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { scheduleError } from "../../../kube/cron/schedule.ts";
import { isKnownTimeZone } from "../../../kube/cron/zone.ts";
import { timestampAge } from "../../../kube/duration.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { defaultPodTemplate } from "./pod-spec.ts";
import type { ResourceKind } from "./types.ts";
import { validateJobSpecCommon } from "./jobs.ts";
import { containersColumn, imagesColumn, selectorColumn } from "./workload-columns.ts";
import { nonNegative } from "./workload-validation.ts";
import { jobTemplateSpec } from "./pod-templates.ts";

/** The job controller appends "-<11 digits>" to a CronJob's name, and job names are DNS labels. */
const MAX_NAME_LENGTH = 52;

/** cron.ParseStandard's error text for a schedule, or undefined when it parses. */
export { scheduleError };

function scheduleErrors(spec: LooseObject): FieldError[] {
  const field = "spec.schedule";
  const schedule: string | undefined = spec.schedule;
  if (!schedule) return [required(field)];
  const errs: FieldError[] = [];
  const problem = scheduleError(schedule);
  if (problem) errs.push(invalid(field, schedule, problem));
  // The TZ-in-schedule allowance for CronJobs created before timeZone existed is not modelled.
  if (schedule.includes("TZ"))
    errs.push(invalid(field, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  return errs;
}

const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function timeZoneErrors(tz: unknown): FieldError[] {
  const field = "spec.timeZone";
  if (tz === undefined || tz === null) return [];
  const zone = String(tz);
  if (zone === "") return [invalid(field, zone, "timeZone must be nil or non-empty string")];
  const bad = zone.split("/").some((p) => p === "." || p === ".." || p.startsWith("-") || !TZ_PART.test(p));
  if (bad) return [invalid(field, zone, `unknown time zone ${zone}`)];
  const errs: FieldError[] = [];
  if (zone.toLowerCase() === "local")
    errs.push(
      invalid(field, zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"),
    );
  if (!isKnownTimeZone(zone)) errs.push(invalid(field, zone, `unknown time zone ${zone}`));
  return errs;
}

const CONCURRENCY = ["Allow", "Forbid", "Replace"];

/** ValidateJobTemplateSpec: the job spec rules; its selector is always generated. */
function jobTemplateErrors(template: LooseObject | undefined): FieldError[] {
  const at = "spec.jobTemplate.spec";
  const spec: LooseObject = template?.spec ?? {};
  const errs = validateJobSpecCommon(spec, at);
  if (spec.selector) errs.push(invalid(`${at}.selector`, spec.selector, "`selector` will be auto-generated"));
  if (spec.manualSelector === true) errs.push(notSupported(`${at}.manualSelector`, true, ["nil", "false"]));
  return errs;
}

function validateCronJob(o: KubeObject): FieldError[] {
  const spec: LooseObject = o.spec ?? {};
  const errs = [
    ...scheduleErrors(spec),
    ...nonNegative(spec.startingDeadlineSeconds, "spec.startingDeadlineSeconds"),
    ...timeZoneErrors(spec.timeZone),
  ];
  if (!spec.concurrencyPolicy) errs.push(required("spec.concurrencyPolicy"));
  else if (!CONCURRENCY.includes(spec.concurrencyPolicy))
    errs.push(notSupported("spec.concurrencyPolicy", spec.concurrencyPolicy, CONCURRENCY));
  errs.push(
    ...jobTemplateErrors(spec.jobTemplate),
    ...nonNegative(spec.successfulJobsHistoryLimit, "spec.successfulJobsHistoryLimit"),
    ...nonNegative(spec.failedJobsHistoryLimit, "spec.failedJobsHistoryLimit"),
  );
  // Upstream checks this on create only (old CronJobs with longer names stay updatable).
  const name = o.metadata.name ?? "";
  if (name.length > MAX_NAME_LENGTH && !o.metadata.resourceVersion)
    errs.push(invalid("metadata.name", name, `must be no more than ${MAX_NAME_LENGTH} characters`));
  return errs;
}

function defaultCronJob(o: KubeObject): void {
  o.spec ??= {};
  const spec: LooseObject = o.spec;
  spec.concurrencyPolicy ||= "Allow";
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  // Only the pod template is defaulted: SetDefaults_Job applies to Jobs, not to job templates.
  spec.jobTemplate ??= {};
  spec.jobTemplate.spec ??= {};
  spec.jobTemplate.spec.template = defaultPodTemplate(spec.jobTemplate.spec.template);
}

const jobPodSpec = (o: KubeObject) => o.spec?.jobTemplate?.spec?.template?.spec;

export const cronJobs: ResourceKind = {
  group: "batch",
  version: "v1",
  kind: "CronJob",
  plural: "cronjobs",
  singular: "cronjob",
  namespaced: true,
  shortNames: ["cj"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: { status: true },
  tracksGeneration: true,
  columns: [
    column(
      "Schedule",
      "string",
      "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
      (o) => o.spec?.schedule ?? "",
    ),
    column(
      "Timezone",
      "string",
      "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
      (o) => o.spec?.timeZone ?? "<none>",
    ),
    column(
      "Suspend",
      "boolean",
      "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
      (o) => (o.spec?.suspend == null ? "<unset>" : o.spec.suspend ? "True" : "False"),
    ),
    column(
      "Active",
      "integer",
      "A list of pointers to currently running jobs.",
      (o) => (o.status?.active ?? []).length,
    ),
    column(
      "Last Schedule",
      "string",
      "Information when was the last time the job was successfully scheduled.",
      (o, ctx) => (o.status?.lastScheduleTime ? timestampAge(o.status.lastScheduleTime, ctx.now) : "<none>"),
    ),
    ageColumn,
    containersColumn(jobPodSpec),
    imagesColumn(jobPodSpec),
    selectorColumn(
      "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      (o) => o.spec?.jobTemplate?.spec?.selector,
    ),
  ],
  defaults: defaultCronJob,
  podTemplate: jobTemplateSpec,
  prepareForCreate(o) {
    o.status = {};
  },
  validate: validateCronJob,
};
