// Field numbers and types from k8s.io/api/apps/v1/generated.proto: Deployment, ReplicaSet, StatefulSet, DaemonSet.
// Checked against the descriptors compiled into kubectl 1.32. Format: see ../schema.ts.
import { parseMessages } from "../schema.ts";

export const APPS_MESSAGES = parseMessages(`
Deployment
  1 metadata ObjectMeta
  2 spec DeploymentSpec
  # status: skipped (kubectl sends it empty; the server owns status)
DeploymentSpec
  1 replicas int32?
  2 selector LabelSelector
  3 template PodTemplateSpec
  4 strategy DeploymentStrategy
  5 minReadySeconds int32
  6 revisionHistoryLimit int32?
  7 paused bool
  9 progressDeadlineSeconds int32?
DeploymentStrategy
  1 type string
  2 rollingUpdate RollingUpdateDeployment
RollingUpdateDeployment
  1 maxUnavailable IntOrString
  2 maxSurge IntOrString
ReplicaSet
  1 metadata ObjectMeta
  2 spec ReplicaSetSpec
  # status: skipped (kubectl sends it empty; the server owns status)
ReplicaSetSpec
  1 replicas int32?
  4 minReadySeconds int32
  2 selector LabelSelector
  3 template PodTemplateSpec
StatefulSet
  1 metadata ObjectMeta
  2 spec StatefulSetSpec
  # status: skipped (kubectl sends it empty; the server owns status)
StatefulSetSpec
  1 replicas int32?
  2 selector LabelSelector
  3 template PodTemplateSpec
  4 volumeClaimTemplates PersistentVolumeClaim[]
  5 serviceName string
  6 podManagementPolicy string
  7 updateStrategy StatefulSetUpdateStrategy
  8 revisionHistoryLimit int32?
  9 minReadySeconds int32
  10 persistentVolumeClaimRetentionPolicy StatefulSetPersistentVolumeClaimRetentionPolicy
  11 ordinals StatefulSetOrdinals
StatefulSetUpdateStrategy
  1 type string
  2 rollingUpdate RollingUpdateStatefulSetStrategy
RollingUpdateStatefulSetStrategy
  1 partition int32?
  2 maxUnavailable IntOrString
StatefulSetPersistentVolumeClaimRetentionPolicy
  1 whenDeleted string
  2 whenScaled string
StatefulSetOrdinals
  1 start int32
DaemonSet
  1 metadata ObjectMeta
  2 spec DaemonSetSpec
  # status: skipped (kubectl sends it empty; the server owns status)
DaemonSetSpec
  1 selector LabelSelector
  2 template PodTemplateSpec
  3 updateStrategy DaemonSetUpdateStrategy
  4 minReadySeconds int32
  6 revisionHistoryLimit int32?
DaemonSetUpdateStrategy
  1 type string
  2 rollingUpdate RollingUpdateDaemonSet
RollingUpdateDaemonSet
  1 maxUnavailable IntOrString
  2 maxSurge IntOrString
`);
