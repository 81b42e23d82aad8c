// core/v1 Node: the machines pods run on, as reported by their agents.
import {
  atomicList,
  boolean,
  core,
  type Definitions,
  enumOf,
  int64,
  integer,
  keyedList,
  kindObject,
  map,
  mergedSet,
  object,
  preserveUnknown,
  quantity,
  ref,
  string,
  time,
} from "./dsl.ts";

export const nodeDefinitions: Definitions = {
  [core("Node")]: kindObject(
    { group: "", version: "v1", kind: "Node" },
    "A machine (physical or virtual) that runs pods, registered by its node agent.",
    {
      spec: ref(core("NodeSpec"), "How the node is configured for scheduling."),
      status: ref(core("NodeStatus"), "The node's reported state. Read-only."),
    },
  ),
  [core("NodeSpec")]: object(
    {
      podCIDR: string("The pod address range assigned to the node."),
      podCIDRs: mergedSet("The pod address ranges of the node, one per family; the first equals podCIDR."),
      providerID: string("The node's ID at its infrastructure provider."),
      unschedulable: boolean("When true (kubectl cordon), no new pods are scheduled onto the node."),
      taints: atomicList(ref(core("Taint")), "Taints that repel pods which do not tolerate them."),
      configSource: preserveUnknown("Deprecated: dynamic kubelet configuration source."),
      externalID: string("Deprecated and unused."),
    },
    "The desired configuration of a node.",
  ),
  [core("Taint")]: object(
    {
      key: string("The taint key."),
      value: string("The taint value."),
      effect: enumOf(
        ["NoExecute", "NoSchedule", "PreferNoSchedule"],
        "What happens to pods that do not tolerate it: NoSchedule, PreferNoSchedule or NoExecute (also evicts running pods).",
      ),
      timeAdded: time("When a NoExecute taint was added."),
    },
    "A mark on a node that repels pods without a matching toleration.",
    { required: ["key", "effect"] },
  ),
  [core("NodeStatus")]: object(
    {
      capacity: map(quantity(), "The node's total resources: cpu, memory, pods, ephemeral-storage, …"),
      allocatable: map(quantity(), "The resources available to pods; defaults to capacity."),
      phase: string("Deprecated: Pending, Running or Terminated."),
      conditions: keyedList(
        ref(core("NodeCondition")),
        "type",
        "Conditions such as Ready, MemoryPressure, DiskPressure.",
      ),
      addresses: keyedList(
        ref(core("NodeAddress")),
        "type",
        "Addresses of the node: InternalIP, ExternalIP, Hostname, …",
        ["type"],
      ),
      daemonEndpoints: ref(core("NodeDaemonEndpoints"), "Ports of daemons on the node."),
      nodeInfo: ref(core("NodeSystemInfo"), "Versions and identifiers of the node's software."),
      images: atomicList(ref(core("ContainerImage")), "Images present on the node."),
      volumesInUse: atomicList(string(), "Volumes in use on the node."),
      volumesAttached: atomicList(preserveUnknown("An attached volume."), "Volumes attached to the node."),
      config: preserveUnknown("Status of the node's configuration."),
      runtimeHandlers: atomicList(preserveUnknown("A runtime handler."), "Runtime handlers available."),
      features: preserveUnknown("Features the node supports."),
    },
    "The observed state of a node.",
  ),
  [core("NodeCondition")]: object(
    {
      type: string("The condition's type, such as Ready."),
      status: string("True, False or Unknown."),
      lastHeartbeatTime: time("When the condition was last reported."),
      lastTransitionTime: time("When the status last changed."),
      reason: string("A short CamelCase reason."),
      message: string("A human-readable explanation."),
    },
    "One aspect of a node's state.",
    { required: ["type", "status"] },
  ),
  [core("NodeAddress")]: object(
    { type: string("Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS."), address: string("The address.") },
    "An address of a node.",
    { required: ["type", "address"] },
  ),
  [core("NodeDaemonEndpoints")]: object(
    { kubeletEndpoint: ref(core("DaemonEndpoint"), "Where the node agent listens.") },
    "Ports of daemons on a node.",
  ),
  [core("DaemonEndpoint")]: object({ Port: integer("The port number.") }, "A daemon's port.", { required: ["Port"] }),
  [core("NodeSystemInfo")]: object(
    {
      machineID: string("The machine ID."),
      systemUUID: string("The system UUID."),
      bootID: string("The boot ID."),
      kernelVersion: string("The kernel version."),
      osImage: string("The operating system image."),
      containerRuntimeVersion: string("The container runtime and its version."),
      kubeletVersion: string("The node agent's version."),
      kubeProxyVersion: string("Deprecated: the proxy's version."),
      operatingSystem: string("The operating system, such as linux."),
      architecture: string("The CPU architecture, such as amd64 or arm64."),
      swap: preserveUnknown("Swap information."),
    },
    "Software versions and identifiers of a node.",
  ),
  [core("ContainerImage")]: object(
    {
      names: atomicList(string(), "Names of the image."),
      sizeBytes: int64("Size of the image in bytes."),
    },
    "An image present on a node.",
  ),
};
