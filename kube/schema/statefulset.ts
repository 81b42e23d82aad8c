// apps/v1 StatefulSet, and core/v1 PersistentVolumeClaim which its claim templates use.
import {
  apps,
  atomicList,
  core,
  type Definitions,
  enumOf,
  int64,
  integer,
  intOrString,
  keyedList,
  kindObject,
  map,
  meta,
  object,
  preserveUnknown,
  quantity,
  ref,
  string,
} from "./dsl.ts";
import { accessModes } from "./volumes.ts";
import { conditionsOf, workloadCondition, workloadSpecFields } from "./workloads.ts";

export const statefulSetDefinitions: Definitions = {
  [apps("StatefulSet")]: kindObject(
    { group: "apps", version: "v1", kind: "StatefulSet" },
    "Runs pods with stable identities (name-0, name-1, …) and per-pod persistent storage, created and updated in order.",
    {
      spec: ref(apps("StatefulSetSpec"), "The desired state of the stateful set."),
      status: ref(apps("StatefulSetStatus"), "The last observed state of the stateful set. Read-only."),
    },
  ),
  [apps("StatefulSetSpec")]: object(
    {
      replicas: integer("How many pods to run. Defaults to 1."),
      ...workloadSpecFields("stateful set"),
      volumeClaimTemplates: atomicList(
        ref(core("PersistentVolumeClaim")),
        "Claims created for each pod (named <template>-<pod>) and mounted by the template's volume mounts of the same name.",
      ),
      serviceName: string("The headless service that gives the pods their network identity (<pod>.<service>)."),
      podManagementPolicy: enumOf(
        ["OrderedReady", "Parallel"],
        "OrderedReady (the default) creates pods one at a time in order and removes them in reverse; Parallel does both at once.",
      ),
      updateStrategy: ref(apps("StatefulSetUpdateStrategy"), "How pods are replaced when the template changes."),
      revisionHistoryLimit: integer("How many old revisions to keep. Defaults to 10."),
      persistentVolumeClaimRetentionPolicy: ref(
        apps("StatefulSetPersistentVolumeClaimRetentionPolicy"),
        "Whether claims from the templates are deleted when the set is deleted or scaled down.",
      ),
      ordinals: ref(apps("StatefulSetOrdinals"), "The numbering of the pods."),
    },
    "The desired state of a stateful set.",
    { required: ["selector", "template"] },
  ),
  [apps("StatefulSetUpdateStrategy")]: object(
    {
      type: enumOf(
        ["OnDelete", "RollingUpdate"],
        "RollingUpdate (the default) replaces pods in reverse order; OnDelete waits for pods to be deleted by hand.",
      ),
      rollingUpdate: ref(apps("RollingUpdateStatefulSetStrategy"), "Parameters of a RollingUpdate."),
    },
    "How a stateful set replaces its pods.",
  ),
  [apps("RollingUpdateStatefulSetStrategy")]: object(
    {
      partition: integer("Only pods with an ordinal at or above this number are updated. Defaults to 0."),
      maxUnavailable: intOrString("How many pods may be unavailable during the update. Defaults to 1."),
    },
    "How a stateful set rolling update proceeds.",
  ),
  [apps("StatefulSetPersistentVolumeClaimRetentionPolicy")]: object(
    {
      whenDeleted: enumOf(["Delete", "Retain"], "Retain (the default) or Delete the claims when the set is deleted."),
      whenScaled: enumOf(["Delete", "Retain"], "Retain (the default) or Delete a pod's claims when it is scaled away."),
    },
    "What happens to the claims of a stateful set's pods.",
  ),
  [apps("StatefulSetOrdinals")]: object(
    { start: integer("The number of the first pod. Defaults to 0.") },
    "How a stateful set numbers its pods.",
  ),
  [apps("StatefulSetStatus")]: object(
    {
      observedGeneration: int64("The generation last acted on."),
      replicas: integer("Pods created by the set."),
      readyReplicas: integer("Pods that are ready."),
      currentReplicas: integer("Pods of currentRevision."),
      updatedReplicas: integer("Pods of updateRevision."),
      currentRevision: string("The revision the current pods were created from."),
      updateRevision: string("The revision new pods are created from."),
      collisionCount: integer("Counts hash collisions of revision names."),
      conditions: conditionsOf(apps("StatefulSetCondition")),
      availableReplicas: integer("Pods ready for at least minReadySeconds."),
    },
    "The observed state of a stateful set.",
    { required: ["replicas"] },
  ),
  [apps("StatefulSetCondition")]: workloadCondition("stateful set"),
  [core("PersistentVolumeClaim")]: kindObject(
    { group: "", version: "v1", kind: "PersistentVolumeClaim" },
    "A request for storage, bound to a persistent volume that satisfies it.",
    {
      spec: ref(core("PersistentVolumeClaimSpec"), "The storage requested."),
      status: ref(core("PersistentVolumeClaimStatus"), "The claim's observed state. Read-only."),
    },
  ),
  [core("PersistentVolumeClaimSpec")]: object(
    {
      accessModes,
      selector: ref(meta("LabelSelector"), "Only volumes with matching labels may be bound."),
      resources: ref(core("VolumeResourceRequirements"), "The least storage the volume must provide."),
      volumeName: string("Bind to this persistent volume."),
      storageClassName: string("The storage class to provision from; empty string means no class."),
      volumeMode: enumOf(["Block", "Filesystem"], "Filesystem (the default) or Block for a raw device."),
      dataSource: ref(core("TypedLocalObjectReference"), "A snapshot or claim to fill the new volume from."),
      dataSourceRef: ref(core("TypedObjectReference"), "Any populator object to fill the new volume from."),
      volumeAttributesClassName: string("The VolumeAttributesClass to apply."),
    },
    "The requested properties of a persistent volume claim.",
  ),
  [core("VolumeResourceRequirements")]: object(
    {
      limits: map(quantity(), "The most of each resource allowed."),
      requests: map(quantity(), "The least of each resource required, such as storage: 10Gi."),
    },
    "Storage amounts requested by a claim.",
  ),
  [core("TypedLocalObjectReference")]: object(
    {
      apiGroup: string("The API group of the object; empty for the core group."),
      kind: string("The kind of the object."),
      name: string("The name of the object."),
    },
    "A reference to an object of any kind in the same namespace.",
    { required: ["kind", "name"], mapType: "atomic" },
  ),
  [core("TypedObjectReference")]: object(
    {
      apiGroup: string("The API group of the object; empty for the core group."),
      kind: string("The kind of the object."),
      name: string("The name of the object."),
      namespace: string("The namespace of the object, when it differs."),
    },
    "A reference to an object of any kind.",
    { required: ["kind", "name"] },
  ),
  [core("PersistentVolumeClaimStatus")]: object(
    {
      phase: string("Pending, Bound or Lost."),
      accessModes,
      capacity: map(quantity(), "The storage actually provided."),
      conditions: keyedList(preserveUnknown("A claim condition."), "type", "Conditions of the claim."),
      allocatedResources: map(quantity(), "Storage allocated to the claim."),
      allocatedResourceStatuses: map(string(), "Progress of resizes per resource."),
      currentVolumeAttributesClassName: string("The attributes class in effect."),
      modifyVolumeStatus: preserveUnknown("Progress of a volume modification."),
    },
    "The observed state of a persistent volume claim.",
  ),
};
