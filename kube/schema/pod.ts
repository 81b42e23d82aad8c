// core/v1 Pod, PodSpec, PodTemplateSpec and PodTemplate, and the small types of the pod spec.
import {
  array,
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
  meta,
  object,
  quantity,
  ref,
  string,
  stringMap,
  withPatch,
} from "./dsl.ts";

const v1 = (kind: string) => ({ group: "", version: "v1", kind });

const podSpec = object(
  {
    volumes: withPatch(
      keyedList(ref(core("Volume")), "name", "Volumes that containers of the pod can mount."),
      "merge,retainKeys",
      "name",
    ),
    initContainers: keyedList(
      ref(core("Container")),
      "name",
      "Containers run one after another, each to completion, before the app containers start. A failing one is retried per restartPolicy. Those with restartPolicy Always are sidecars that keep running.",
    ),
    containers: keyedList(
      ref(core("Container")),
      "name",
      "The pod's application containers. At least one is required; the list cannot change after creation.",
    ),
    ephemeralContainers: keyedList(
      ref(core("EphemeralContainer")),
      "name",
      "Debugging containers added to the running pod through the ephemeralcontainers subresource.",
    ),
    restartPolicy: enumOf(
      ["Always", "Never", "OnFailure"],
      "When containers are restarted after they exit: Always (the default), OnFailure or Never.",
    ),
    terminationGracePeriodSeconds: int64(
      "Seconds between the stop signal and a forced kill when the pod is deleted. Defaults to 30; 0 kills at once.",
    ),
    activeDeadlineSeconds: int64(
      "How long the pod may be active, counted from its start, before the system fails it. A positive number.",
    ),
    dnsPolicy: enumOf(
      ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
      "How the pod's DNS is configured: ClusterFirst (the default), ClusterFirstWithHostNet, Default (the node's) or None (only dnsConfig).",
    ),
    nodeSelector: stringMap("Node labels that must all be present on a node for the pod to be scheduled there."),
    serviceAccountName: string("The service account the pod runs as; defaults to 'default'."),
    serviceAccount: string("Deprecated alias of serviceAccountName."),
    automountServiceAccountToken: boolean("Whether a service account token is mounted into the containers."),
    nodeName: string(
      "The node the pod runs on. Set by the scheduler when it binds the pod; setting it yourself skips scheduling.",
    ),
    hostNetwork: boolean("Use the node's network namespace; container ports are then node ports. Defaults to false."),
    hostPID: boolean("Use the node's process namespace. Defaults to false."),
    hostIPC: boolean("Use the node's IPC namespace. Defaults to false."),
    shareProcessNamespace: boolean(
      "Put all containers of the pod into one process namespace, so they see and can signal each other's processes.",
    ),
    securityContext: ref(core("PodSecurityContext"), "Pod-wide security settings and defaults for its containers."),
    imagePullSecrets: keyedList(
      ref(core("LocalObjectReference")),
      "name",
      "Secrets in the pod's namespace holding registry credentials for pulling the images.",
    ),
    hostname: string("The pod's host name; defaults to a value derived from the pod's name."),
    subdomain: string(
      "When set, the pod's fully qualified name becomes <hostname>.<subdomain>.<namespace>.svc.<cluster domain>, served by a headless service of that name.",
    ),
    affinity: ref(core("Affinity"), "Node and pod affinity and anti-affinity rules for scheduling."),
    schedulerName: string("The scheduler that places the pod; defaults to default-scheduler."),
    tolerations: atomicList(ref(core("Toleration")), "Taints the pod tolerates."),
    hostAliases: array(ref(core("HostAlias")), "Extra entries for the containers' /etc/hosts.", {
      listType: "map",
      mapKeys: ["ip"],
      patchMergeKey: "ip",
      patchStrategy: "merge",
    }),
    priorityClassName: string("The PriorityClass whose value becomes the pod's priority."),
    priority: integer("The pod's priority, filled from priorityClassName by admission; higher runs first."),
    dnsConfig: ref(core("PodDNSConfig"), "DNS settings merged into those derived from dnsPolicy."),
    readinessGates: atomicList(
      ref(core("PodReadinessGate")),
      "Extra conditions that must be True for the pod to count as ready.",
    ),
    runtimeClassName: string("The RuntimeClass to run the pod with; empty means the default runtime."),
    enableServiceLinks: boolean("Whether service information is injected as environment variables. Defaults to true."),
    preemptionPolicy: enumOf(
      ["Never", "PreemptLowerPriority"],
      "Whether the pod may evict lower-priority pods to be scheduled: PreemptLowerPriority (the default) or Never.",
    ),
    overhead: map(quantity(), "Resources the runtime itself uses for the pod, set from its RuntimeClass."),
    topologySpreadConstraints: keyedList(
      ref(core("TopologySpreadConstraint")),
      "topologyKey",
      "How the pod and its peers are spread across zones, nodes or other domains.",
      ["topologyKey", "whenUnsatisfiable"],
    ),
    setHostnameAsFQDN: boolean("Make the pod's fully qualified domain name its kernel host name. Defaults to false."),
    os: ref(core("PodOS"), "The operating system the pod's containers need; restricts the fields that apply."),
    hostUsers: boolean(
      "Use the node's user namespace (true, the default) or a user namespace of the pod's own (false).",
    ),
    schedulingGates: keyedList(
      ref(core("PodSchedulingGate")),
      "name",
      "While any gate is present the pod is not scheduled; gates can only be removed.",
    ),
    resourceClaims: withPatch(
      keyedList(
        ref(core("PodResourceClaim")),
        "name",
        "Dynamically allocated resources (such as devices) the pod needs.",
      ),
      "merge,retainKeys",
      "name",
    ),
    resources: ref(
      core("ResourceRequirements"),
      "Resources for the whole pod, shared by its containers (pod-level resources).",
    ),
  },
  "The desired state of a pod: its containers, volumes and scheduling constraints.",
  { required: ["containers"] },
);

export const podDefinitions: Definitions = {
  [core("Pod")]: kindObject(
    v1("Pod"),
    "A group of containers that run together on one node and share network and storage. Usually created by workload controllers.",
    {
      spec: ref(core("PodSpec"), "What the pod should run."),
      status: ref(core("PodStatus"), "What the pod is doing, as last observed. Read-only; may lag behind."),
    },
  ),
  [core("PodSpec")]: podSpec,
  [core("PodTemplateSpec")]: object(
    {
      metadata: ref(meta("ObjectMeta"), "Labels and annotations of the pods created from the template."),
      spec: ref(core("PodSpec"), "The spec of the pods created from the template."),
    },
    "The template pods are created from.",
  ),
  [core("PodTemplate")]: kindObject(v1("PodTemplate"), "A stored pod template.", {
    template: ref(core("PodTemplateSpec"), "The pod template."),
  }),
  [core("PodDNSConfig")]: object(
    {
      nameservers: atomicList(string(), "DNS server addresses, added to those from dnsPolicy."),
      searches: atomicList(string(), "Search domains, added to those from dnsPolicy."),
      options: atomicList(
        ref(core("PodDNSConfigOption")),
        "Resolver options; these override options of the same name.",
      ),
    },
    "DNS settings of a pod beyond its dnsPolicy.",
  ),
  [core("PodDNSConfigOption")]: object(
    { name: string("The option's name, such as ndots."), value: string("The option's value.") },
    "A resolver option.",
  ),
  [core("HostAlias")]: object(
    {
      ip: string("The IP address."),
      hostnames: atomicList(string(), "Host names for the address."),
    },
    "An entry for the pod's /etc/hosts.",
    { required: ["ip"] },
  ),
  [core("PodReadinessGate")]: object(
    { conditionType: string("The pod condition type that must be True.") },
    "An extra condition required for pod readiness.",
    { required: ["conditionType"] },
  ),
  [core("PodOS")]: object({ name: string("linux or windows.") }, "The operating system of a pod.", {
    required: ["name"],
  }),
  [core("PodSchedulingGate")]: object(
    { name: string("The gate's name; unique within the pod.") },
    "A reason to hold the pod back from scheduling.",
    { required: ["name"] },
  ),
  [core("PodResourceClaim")]: object(
    {
      name: string("The name containers use to refer to this claim."),
      resourceClaimName: string("An existing ResourceClaim in the pod's namespace."),
      resourceClaimTemplateName: string("A ResourceClaimTemplate from which a claim is created for the pod."),
    },
    "A resource claim of the pod; exactly one source is set.",
    { required: ["name"] },
  ),
};
