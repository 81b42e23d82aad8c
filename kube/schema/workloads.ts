// apps/v1 Deployment, ReplicaSet and DaemonSet (StatefulSet lives in statefulset.ts).
import {
  apps,
  boolean,
  core,
  type Definitions,
  enumOf,
  integer,
  intOrString,
  int64,
  keyedList,
  kindObject,
  meta,
  object,
  ref,
  type Schema,
  string,
  time,
  withPatch,
} from "./dsl.ts";

const appsV1 = (kind: string) => ({ group: "apps", version: "v1", kind });

/** Fields every workload spec shares: which pods it owns and how it makes new ones. */
export const workloadSpecFields = (what: string): Record<string, Schema> => ({
  selector: ref(
    meta("LabelSelector"),
    `Selects the pods this ${what} manages; must match the template's labels. Cannot be changed in apps/v1.`,
  ),
  template: ref(core("PodTemplateSpec"), `The pods this ${what} creates.`),
  minReadySeconds: integer(
    "Seconds a new pod must be ready, with no container crashing, before it counts as available. Defaults to 0.",
  ),
});

/** A workload's status conditions; each kind has its own named type upstream. */
export const workloadCondition = (what: string, extra: Record<string, Schema> = {}): Schema =>
  object(
    {
      type: string(`The condition's type.`),
      status: string("True, False or Unknown."),
      ...extra,
      lastTransitionTime: time("When the status last changed."),
      reason: string("A short CamelCase reason for the last transition."),
      message: string("A human-readable explanation of the last transition."),
    },
    `One aspect of a ${what}'s state.`,
    { required: ["type", "status"] },
  );

export const conditionsOf = (name: string) =>
  keyedList(ref(name), "type", "The latest observations of the object's state.");

const revisionHistoryLimit = integer("How many old revisions to keep for rollback. Defaults to 10.");

export const workloadDefinitions: Definitions = {
  [apps("Deployment")]: kindObject(
    appsV1("Deployment"),
    "Runs a replicated, stateless application: keeps the desired number of pods and rolls out template changes through replica sets.",
    {
      spec: ref(apps("DeploymentSpec"), "The desired state of the deployment."),
      status: ref(apps("DeploymentStatus"), "The last observed state of the deployment. Read-only."),
    },
  ),
  [apps("DeploymentSpec")]: object(
    {
      replicas: integer("How many pods to run. Defaults to 1."),
      ...workloadSpecFields("deployment"),
      strategy: withPatch(
        ref(apps("DeploymentStrategy"), "How old pods are replaced by new ones when the template changes."),
        "retainKeys",
      ),
      revisionHistoryLimit,
      paused: boolean("While true, template changes are not rolled out."),
      progressDeadlineSeconds: integer(
        "Seconds a rollout may go without progress before the deployment reports Progressing=False (ProgressDeadlineExceeded). Defaults to 600.",
      ),
    },
    "The desired state of a deployment.",
    { required: ["selector", "template"] },
  ),
  [apps("DeploymentStrategy")]: object(
    {
      type: enumOf(
        ["Recreate", "RollingUpdate"],
        "Recreate deletes all old pods before creating new ones; RollingUpdate (the default) replaces them gradually.",
      ),
      rollingUpdate: ref(apps("RollingUpdateDeployment"), "Parameters of a RollingUpdate; only with that type."),
    },
    "How a deployment replaces its pods.",
  ),
  [apps("RollingUpdateDeployment")]: object(
    {
      maxUnavailable: intOrString(
        "How many of the desired pods may be unavailable during the update, as a number or a percentage (rounded down). Defaults to 25%; cannot be 0 when maxSurge is 0.",
      ),
      maxSurge: intOrString(
        "How many pods may be created above the desired number during the update, as a number or a percentage (rounded up). Defaults to 25%; cannot be 0 when maxUnavailable is 0.",
      ),
    },
    "How fast a rolling update proceeds.",
  ),
  [apps("DeploymentStatus")]: object(
    {
      observedGeneration: int64("The generation the controller last acted on."),
      replicas: integer("Pods of the deployment, in any revision."),
      updatedReplicas: integer("Pods created from the current template."),
      readyReplicas: integer("Pods that are ready."),
      availableReplicas: integer("Pods that have been ready for at least minReadySeconds."),
      unavailableReplicas: integer("Pods still needed to reach the desired number of available pods."),
      conditions: conditionsOf(apps("DeploymentCondition")),
      collisionCount: integer("Counts hash collisions of replica set names; used to make new names unique."),
    },
    "The observed state of a deployment.",
  ),
  [apps("DeploymentCondition")]: workloadCondition("deployment", {
    lastUpdateTime: time("When the condition was last updated."),
  }),
  [apps("ReplicaSet")]: kindObject(
    appsV1("ReplicaSet"),
    "Keeps a set number of identical pods running. Normally managed by a deployment.",
    {
      spec: ref(apps("ReplicaSetSpec"), "The desired state of the replica set."),
      status: ref(apps("ReplicaSetStatus"), "The last observed state of the replica set. Read-only."),
    },
  ),
  [apps("ReplicaSetSpec")]: object(
    { replicas: integer("How many pods to run. Defaults to 1."), ...workloadSpecFields("replica set") },
    "The desired state of a replica set.",
    { required: ["selector"] },
  ),
  [apps("ReplicaSetStatus")]: object(
    {
      replicas: integer("Pods currently owned."),
      fullyLabeledReplicas: integer("Pods whose labels match the template's labels."),
      readyReplicas: integer("Pods that are ready."),
      availableReplicas: integer("Pods ready for at least minReadySeconds."),
      observedGeneration: int64("The generation last acted on."),
      conditions: conditionsOf(apps("ReplicaSetCondition")),
    },
    "The observed state of a replica set.",
    { required: ["replicas"] },
  ),
  [apps("ReplicaSetCondition")]: workloadCondition("replica set"),
  [apps("DaemonSet")]: kindObject(
    appsV1("DaemonSet"),
    "Runs one copy of a pod on every node (or every selected node), for node-level agents.",
    {
      spec: ref(apps("DaemonSetSpec"), "The desired state of the daemon set."),
      status: ref(apps("DaemonSetStatus"), "The last observed state of the daemon set. Read-only."),
    },
  ),
  [apps("DaemonSetSpec")]: object(
    {
      ...workloadSpecFields("daemon set"),
      updateStrategy: ref(apps("DaemonSetUpdateStrategy"), "How pods are replaced when the template changes."),
      revisionHistoryLimit,
    },
    "The desired state of a daemon set.",
    { required: ["selector", "template"] },
  ),
  [apps("DaemonSetUpdateStrategy")]: object(
    {
      type: enumOf(
        ["OnDelete", "RollingUpdate"],
        "RollingUpdate (the default) replaces pods node by node; OnDelete waits for old pods to be deleted by hand.",
      ),
      rollingUpdate: ref(apps("RollingUpdateDaemonSet"), "Parameters of a RollingUpdate."),
    },
    "How a daemon set replaces its pods.",
  ),
  [apps("RollingUpdateDaemonSet")]: object(
    {
      maxUnavailable: intOrString(
        "How many nodes may lack an available pod during the update, as a number or percentage. Defaults to 1.",
      ),
      maxSurge: intOrString(
        "How many nodes may run an old and a new pod at once during the update, as a number or percentage. Defaults to 0.",
      ),
    },
    "How fast a daemon set rolling update proceeds.",
  ),
  [apps("DaemonSetStatus")]: object(
    {
      currentNumberScheduled: integer("Nodes running at least one daemon pod that should."),
      numberMisscheduled: integer("Nodes running a daemon pod that should not."),
      desiredNumberScheduled: integer("Nodes that should run the daemon pod."),
      numberReady: integer("Nodes whose daemon pod is ready."),
      observedGeneration: int64("The generation last acted on."),
      updatedNumberScheduled: integer("Nodes running the current template's pod."),
      numberAvailable: integer("Nodes whose daemon pod is available."),
      numberUnavailable: integer("Nodes that should run an available daemon pod but do not."),
      collisionCount: integer("Counts hash collisions of revision names."),
      conditions: conditionsOf(apps("DaemonSetCondition")),
    },
    "The observed state of a daemon set.",
    { required: ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"] },
  ),
  [apps("DaemonSetCondition")]: workloadCondition("daemon set"),
};
