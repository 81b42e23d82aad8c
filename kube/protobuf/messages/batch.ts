// Field numbers and types from k8s.io/api/batch/v1/generated.proto: Job and CronJob. Checked against the descriptors
// compiled into kubectl 1.32. Format: see ../schema.ts.
import { parseMessages } from "../schema.ts";

export const BATCH_MESSAGES = parseMessages(`
Job
  1 metadata ObjectMeta
  2 spec JobSpec
  # status: skipped (kubectl sends it empty; the server owns status)
JobSpec
  1 parallelism int32?
  2 completions int32?
  3 activeDeadlineSeconds int64?
  11 podFailurePolicy PodFailurePolicy
  16 successPolicy SuccessPolicy
  7 backoffLimit int32?
  12 backoffLimitPerIndex int32?
  13 maxFailedIndexes int32?
  4 selector LabelSelector
  5 manualSelector bool?
  6 template PodTemplateSpec
  8 ttlSecondsAfterFinished int32?
  9 completionMode string?
  10 suspend bool?
  14 podReplacementPolicy string?
  15 managedBy string?
PodFailurePolicy
  1 rules PodFailurePolicyRule[]
PodFailurePolicyRule
  1 action string
  2 onExitCodes PodFailurePolicyOnExitCodesRequirement
  3 onPodConditions PodFailurePolicyOnPodConditionsPattern[]
PodFailurePolicyOnExitCodesRequirement
  1 containerName string?
  2 operator string
  3 values int32[]
PodFailurePolicyOnPodConditionsPattern
  1 type string
  2 status string
SuccessPolicy
  1 rules SuccessPolicyRule[]
SuccessPolicyRule
  1 succeededIndexes string?
  2 succeededCount int32?
CronJob
  1 metadata ObjectMeta
  2 spec CronJobSpec
  # status: skipped (kubectl sends it empty; the server owns status)
CronJobSpec
  1 schedule string
  8 timeZone string?
  2 startingDeadlineSeconds int64?
  3 concurrencyPolicy string
  4 suspend bool?
  5 jobTemplate JobTemplateSpec
  6 successfulJobsHistoryLimit int32?
  7 failedJobsHistoryLimit int32?
JobTemplateSpec
  1 metadata ObjectMeta
  2 spec JobSpec
`);
