// The small API groups: events.k8s.io/v1 Event, coordination.k8s.io/v1 Lease,
// discovery.k8s.io/v1 EndpointSlice, scheduling.k8s.io/v1 PriorityClass and autoscaling/v1 Scale.
import {
  array,
  atomicList,
  boolean,
  core,
  type Definitions,
  enumOf,
  integer,
  kindObject,
  microTime,
  object,
  ref,
  string,
  stringMap,
  time,
} from "./dsl.ts";

const events = (t: string) => `io.k8s.api.events.v1.${t}`;
const coordination = (t: string) => `io.k8s.api.coordination.v1.${t}`;
const discovery = (t: string) => `io.k8s.api.discovery.v1.${t}`;
const autoscaling = (t: string) => `io.k8s.api.autoscaling.v1.${t}`;
const scheduling = (t: string) => `io.k8s.api.scheduling.v1.${t}`;

export const groupDefinitions: Definitions = {
  [events("Event")]: kindObject(
    { group: "events.k8s.io", version: "v1", kind: "Event" },
    "A report of something that happened to an object. Events expire after a while.",
    {
      eventTime: microTime("When the event was first observed."),
      series: ref(events("EventSeries"), "Data about a series of repeated events."),
      reportingController: string("The controller that emitted the event, such as kubernetes.io/kubelet."),
      reportingInstance: string("The instance of that controller."),
      action: string("What was done (or failed) about the object."),
      reason: string("A short CamelCase reason."),
      regarding: ref(core("ObjectReference"), "The object the event is about."),
      related: ref(core("ObjectReference"), "A second object involved, if any."),
      note: string("A human-readable description, at most 1 kB."),
      type: string("Normal or Warning."),
      deprecatedSource: ref(core("EventSource"), "The core/v1 source field, for compatibility."),
      deprecatedFirstTimestamp: time("The core/v1 firstTimestamp, for compatibility."),
      deprecatedLastTimestamp: time("The core/v1 lastTimestamp, for compatibility."),
      deprecatedCount: integer("The core/v1 count, for compatibility."),
    },
    { required: ["eventTime"] },
  ),
  [events("EventSeries")]: object(
    {
      count: integer("How many times the event has occurred so far."),
      lastObservedTime: microTime("When it last occurred."),
    },
    "A series of repeated events.",
    { required: ["count", "lastObservedTime"] },
  ),
  [coordination("Lease")]: kindObject(
    { group: "coordination.k8s.io", version: "v1", kind: "Lease" },
    "A lease held by one holder at a time, used for leader election and node heartbeats.",
    { spec: ref(coordination("LeaseSpec"), "Who holds the lease and for how long.") },
  ),
  [coordination("LeaseSpec")]: object(
    {
      holderIdentity: string("The current holder."),
      leaseDurationSeconds: integer("How long, from the last renewal, the holder keeps the lease."),
      acquireTime: microTime("When the current holder acquired it."),
      renewTime: microTime("When the holder last renewed it."),
      leaseTransitions: integer("How many times the lease has changed holders."),
      strategy: string("How a leader is chosen when coordinated leader election is used."),
      preferredHolder: string("A holder that should take over, under coordinated leader election."),
    },
    "The state of a lease.",
  ),
  [discovery("EndpointSlice")]: kindObject(
    { group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice" },
    "A slice of the endpoints behind a service; a service's endpoints are the union of its slices.",
    {
      addressType: enumOf(["FQDN", "IPv4", "IPv6"], "The kind of address in the slice: IPv4, IPv6 or FQDN."),
      endpoints: atomicList(ref(discovery("Endpoint")), "The endpoints, at most 1000."),
      ports: atomicList(ref(discovery("EndpointPort")), "The ports every endpoint serves; empty means all ports."),
    },
    { required: ["addressType", "endpoints"] },
  ),
  [discovery("Endpoint")]: object(
    {
      addresses: array(string(), "The endpoint's addresses, of the slice's addressType.", { listType: "set" }),
      conditions: ref(discovery("EndpointConditions"), "Whether the endpoint is ready, serving, terminating."),
      hostname: string("The endpoint's host name."),
      targetRef: ref(core("ObjectReference"), "The object (usually a pod) behind the endpoint."),
      deprecatedTopology: stringMap("Deprecated topology labels."),
      nodeName: string("The node hosting the endpoint."),
      zone: string("The zone the endpoint is in."),
      hints: ref(discovery("EndpointHints"), "Hints for topology-aware routing."),
    },
    "One endpoint of a slice.",
    { required: ["addresses"] },
  ),
  [discovery("EndpointConditions")]: object(
    {
      ready: boolean("Ready to receive traffic; false while terminating (unless publishNotReadyAddresses)."),
      serving: boolean("Ready, regardless of terminating state."),
      terminating: boolean("Shutting down."),
    },
    "The state of an endpoint.",
  ),
  [discovery("EndpointHints")]: object(
    {
      forZones: atomicList(ref(discovery("ForZone")), "Zones that should consume this endpoint."),
    },
    "Topology hints for an endpoint.",
  ),
  [discovery("ForZone")]: object({ name: string("The zone's name.") }, "A zone.", { required: ["name"] }),
  [discovery("EndpointPort")]: object(
    {
      name: string("The port's name, matching the service port's name."),
      protocol: enumOf(["SCTP", "TCP", "UDP"], "TCP (the default), UDP or SCTP."),
      port: integer("The port number; empty means all ports."),
      appProtocol: string("The application protocol, as on the service port."),
    },
    "A port of the endpoints of a slice.",
    { mapType: "atomic" },
  ),
  [scheduling("PriorityClass")]: kindObject(
    { group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass" },
    "Maps a class name to a pod priority. Cluster-scoped; pods refer to it by priorityClassName.",
    {
      value: integer(
        "The priority given to pods that name this class; higher values are scheduled first and may preempt lower ones. At most 1000000000 for user classes.",
      ),
      globalDefault: boolean(
        "Whether pods that name no class get this one. At most one class may be the default; without one, pods get priority 0.",
      ),
      description: string("What the class is for, in words."),
      preemptionPolicy: enumOf(
        ["Never", "PreemptLowerPriority"],
        "Whether pods of this class may evict lower-priority pods: PreemptLowerPriority (the default) or Never.",
      ),
    },
    { required: ["value"] },
  ),
  [autoscaling("Scale")]: kindObject(
    { group: "autoscaling", version: "v1", kind: "Scale" },
    "The scale subresource of a workload: its desired and current number of replicas.",
    {
      spec: ref(autoscaling("ScaleSpec"), "The desired number of replicas."),
      status: ref(autoscaling("ScaleStatus"), "The current number of replicas. Read-only."),
    },
  ),
  [autoscaling("ScaleSpec")]: object({ replicas: integer("The desired number of replicas.") }, "The desired scale."),
  [autoscaling("ScaleStatus")]: object(
    {
      replicas: integer("The number of replicas observed."),
      selector: string("The label selector of the pods, in string form (as kubectl -l takes it)."),
    },
    "The observed scale.",
    { required: ["replicas"] },
  ),
};
