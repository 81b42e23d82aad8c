// core/v1 ConfigMap, Secret, Namespace, ServiceAccount and Event.
import {
  atomicList,
  boolean,
  bytes,
  core,
  type Definitions,
  int64,
  integer,
  keyedList,
  kindObject,
  map,
  meta,
  microTime,
  object,
  ref,
  string,
  stringMap,
  time,
} from "./dsl.ts";

const v1 = (kind: string) => ({ group: "", version: "v1", kind });

export const coreMiscDefinitions: Definitions = {
  [core("Binding")]: kindObject(
    v1("Binding"),
    "Ties one object to another, such as a pod to the node the scheduler chose (the pods/binding subresource).",
    { target: ref(core("ObjectReference"), "The object to bind to: for pods, the Node.") },
    { required: ["target"] },
  ),
  [core("ConfigMap")]: kindObject(
    v1("ConfigMap"),
    "Non-confidential configuration as key/value pairs, for pods to read as environment variables, arguments or files.",
    {
      data: stringMap(
        "UTF-8 text values by key. Keys consist of letters, digits, '-', '_' and '.', and must not also appear in binaryData.",
      ),
      binaryData: map(bytes(), "Binary values by key, base64-encoded in JSON."),
      immutable: boolean("When true, data and binaryData can no longer be changed (only deleting the object works)."),
    },
  ),
  [core("Secret")]: kindObject(v1("Secret"), "Confidential data such as passwords, tokens or keys, for pods to read.", {
    data: map(bytes(), "Values by key, base64-encoded in JSON. Keys follow the same rules as config map keys."),
    stringData: stringMap(
      "Plain-text values by key, for convenience when writing; merged into data (winning over it) and never returned on read.",
    ),
    type: string(
      "How the data is meant to be used, such as Opaque (the default), kubernetes.io/tls, kubernetes.io/dockerconfigjson or kubernetes.io/service-account-token; some types require certain keys.",
    ),
    immutable: boolean("When true, data can no longer be changed (only deleting the object works)."),
  }),
  [core("Namespace")]: kindObject(
    v1("Namespace"),
    "A scope for names: most objects live in a namespace, and deleting it deletes them all.",
    {
      spec: ref(core("NamespaceSpec"), "The namespace's finalizers."),
      status: ref(core("NamespaceStatus"), "The namespace's phase. Read-only."),
    },
  ),
  [core("NamespaceSpec")]: object(
    {
      finalizers: atomicList(
        string(),
        "Cleanup steps that must finish before the namespace is removed; kubernetes empties it of objects.",
      ),
    },
    "The desired state of a namespace.",
  ),
  [core("NamespaceStatus")]: object(
    {
      phase: string("Active, or Terminating while it is being deleted."),
      conditions: keyedList(ref(core("NamespaceCondition")), "type", "The namespace's conditions."),
    },
    "The observed state of a namespace.",
  ),
  [core("NamespaceCondition")]: object(
    {
      type: string("The condition's type."),
      status: string("True, False or Unknown."),
      lastTransitionTime: time("When the status last changed."),
      reason: string("A short CamelCase reason."),
      message: string("A human-readable explanation."),
    },
    "One aspect of a namespace's state.",
    { required: ["type", "status"] },
  ),
  [core("ServiceAccount")]: kindObject(
    v1("ServiceAccount"),
    "An identity for processes running in pods, which they use to talk to the API.",
    {
      secrets: keyedList(
        ref(core("ObjectReference")),
        "name",
        "Deprecated: secrets holding this account's legacy tokens.",
      ),
      imagePullSecrets: atomicList(
        ref(core("LocalObjectReference")),
        "Registry credentials added to every pod that runs as this account.",
      ),
      automountServiceAccountToken: boolean(
        "Whether pods running as this account get an API token mounted; a pod's own setting wins.",
      ),
    },
  ),
  [core("Event")]: kindObject(
    v1("Event"),
    "A report of something that happened to an object, such as a pod being scheduled or a container failing. Events expire after a while.",
    {
      involvedObject: ref(core("ObjectReference"), "The object the event is about."),
      reason: string("A short CamelCase reason, such as Scheduled or BackOff."),
      message: string("A human-readable description."),
      source: ref(core("EventSource"), "The component that reported the event."),
      firstTimestamp: time("When the event was first seen."),
      lastTimestamp: time("When the event was most recently seen."),
      count: integer("How many times it has been seen."),
      type: string("Normal or Warning."),
      eventTime: microTime("When the event was first observed, with microsecond precision."),
      series: ref(core("EventSeries"), "Data about a series of repeated events."),
      action: string("What was done (or failed) about the object."),
      related: ref(core("ObjectReference"), "A second object involved, if any."),
      reportingComponent: string("The controller that emitted the event, such as kubernetes.io/kubelet."),
      reportingInstance: string("The instance of that controller, such as the node's name."),
    },
    { required: ["metadata", "involvedObject"] },
  ),
  [core("ReplicationController")]: kindObject(
    v1("ReplicationController"),
    "The predecessor of ReplicaSet: keeps a set number of pods matching an equality selector running.",
    {
      spec: ref(core("ReplicationControllerSpec"), "The desired state."),
      status: ref(core("ReplicationControllerStatus"), "The last observed state. Read-only."),
    },
  ),
  [core("ReplicationControllerSpec")]: object(
    {
      replicas: integer("How many pods to run. Defaults to 1."),
      minReadySeconds: integer("Seconds a new pod must be ready before it counts as available."),
      selector: stringMap("Labels the managed pods must carry; defaults to the template's labels."),
      template: ref(core("PodTemplateSpec"), "The pods to create."),
    },
    "The desired state of a replication controller.",
  ),
  [core("ReplicationControllerStatus")]: object(
    {
      replicas: integer("Pods currently owned."),
      fullyLabeledReplicas: integer("Pods whose labels match the template's labels."),
      readyReplicas: integer("Pods that are ready."),
      availableReplicas: integer("Pods ready for at least minReadySeconds."),
      observedGeneration: int64("The generation last acted on."),
      conditions: keyedList(ref(meta("Condition")), "type", "The latest observations of its state."),
    },
    "The observed state of a replication controller.",
    { required: ["replicas"] },
  ),
  [core("EventSource")]: object(
    { component: string("The component reporting."), host: string("The node the component runs on.") },
    "Who reported an event.",
  ),
  [core("EventSeries")]: object(
    {
      count: integer("How many times the event has occurred so far."),
      lastObservedTime: microTime("When it last occurred."),
    },
    "A series of repeated events.",
  ),
};
