// core/v1 PodStatus and container statuses. Rarely written by users; the less common parts are
// left free-form so that status writes are never pruned by an incomplete schema.
import {
  array,
  atomicList,
  boolean,
  core,
  type Definitions,
  integer,
  keyedList,
  map,
  object,
  preserveUnknown,
  quantity,
  ref,
  string,
  time,
  withPatch,
} from "./dsl.ts";

const statuses = (which: string) =>
  atomicList(ref(core("ContainerStatus")), `The last observed state of each of the ${which}.`);

const ipList = (what: string) =>
  array(ref(core("PodIP")), what, { listType: "atomic", patchMergeKey: "ip", patchStrategy: "merge" });

export const podStatusDefinitions: Definitions = {
  [core("PodStatus")]: object(
    {
      phase: string("Where the pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown."),
      conditions: keyedList(
        ref(core("PodCondition")),
        "type",
        "Current conditions: PodScheduled, Initialized, ContainersReady, Ready and others.",
      ),
      message: string("A human-readable explanation of the pod's state."),
      reason: string("A short CamelCase reason for the pod's state, such as Evicted."),
      nominatedNodeName: string("The node the scheduler expects to place the pod on after preempting others."),
      hostIP: string("The IP address of the node the pod runs on."),
      hostIPs: ipList("The IP addresses of the node, one per family."),
      podIP: string("The pod's IP address."),
      podIPs: ipList("The pod's IP addresses, one per family; the first equals podIP."),
      startTime: time("When the kubelet accepted the pod, before pulling images."),
      initContainerStatuses: statuses("init containers"),
      containerStatuses: statuses("containers"),
      ephemeralContainerStatuses: statuses("ephemeral containers"),
      qosClass: string("The quality-of-service class from the resources: Guaranteed, Burstable or BestEffort."),
      resize: string("Progress of an in-place resize."),
      resourceClaimStatuses: withPatch(
        keyedList(
          preserveUnknown("The generated claim of one pod resource claim."),
          "name",
          "Claims generated for the pod.",
        ),
        "merge,retainKeys",
        "name",
      ),
    },
    "The observed state of a pod.",
  ),
  [core("PodCondition")]: object(
    {
      type: string("The condition's type, such as Ready."),
      status: string("True, False or Unknown."),
      lastProbeTime: time("When the condition was last checked."),
      lastTransitionTime: time("When the status last changed."),
      reason: string("A short CamelCase reason for the last transition."),
      message: string("A human-readable explanation of the last transition."),
    },
    "One aspect of a pod's state.",
    { required: ["type", "status"] },
  ),
  [core("PodIP")]: object({ ip: string("An IP address.") }, "An IP address of a pod or node.", { required: ["ip"] }),
  [core("ContainerStatus")]: object(
    {
      name: string("The container's name."),
      state: ref(core("ContainerState"), "The container's current state."),
      lastState: ref(core("ContainerState"), "The state the container was in before its last restart."),
      ready: boolean("Whether the container passes its readiness probe."),
      restartCount: integer("How many times the container has been restarted."),
      image: string("The image the container runs."),
      imageID: string("The image's ID (digest)."),
      containerID: string("The container's ID, as <runtime>://<id>."),
      started: boolean("Whether the container has started and passed its startup probe."),
      allocatedResources: map(quantity(), "Resources allocated to the container by the node."),
      resources: preserveUnknown("The resources the runtime applied to the container."),
      volumeMounts: atomicList(preserveUnknown("A mount as set up by the runtime."), "Mounts of the container."),
      user: preserveUnknown("Identity of the container's first process."),
      allocatedResourcesStatus: atomicList(
        preserveUnknown("Health of one allocated resource."),
        "Allocated resources' health.",
      ),
    },
    "The observed state of one container.",
    { required: ["name", "ready", "restartCount", "image", "imageID"] },
  ),
  [core("ContainerState")]: object(
    {
      waiting: ref(core("ContainerStateWaiting"), "The container is not running yet."),
      running: ref(core("ContainerStateRunning"), "The container is running."),
      terminated: ref(core("ContainerStateTerminated"), "The container has exited."),
    },
    "A container's state; exactly one field is set, and waiting is assumed when none is.",
  ),
  [core("ContainerStateWaiting")]: object(
    {
      reason: string("Why it is waiting, such as ContainerCreating or CrashLoopBackOff."),
      message: string("Details."),
    },
    "A waiting container.",
  ),
  [core("ContainerStateRunning")]: object(
    { startedAt: time("When the container last started.") },
    "A running container.",
  ),
  [core("ContainerStateTerminated")]: object(
    {
      exitCode: integer("The exit status of the last run."),
      signal: integer("The signal that ended it, if any."),
      reason: string("Why it ended, such as Completed, Error or OOMKilled."),
      message: string("Details."),
      startedAt: time("When that run started."),
      finishedAt: time("When it ended."),
      containerID: string("The ID of that run's container."),
    },
    "An exited container.",
    { required: ["exitCode"] },
  ),
};
