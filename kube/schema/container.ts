// core/v1 Container and EphemeralContainer with their ports, environment, resources and mounts.
import {
  array,
  atomicList,
  boolean,
  core,
  type Definitions,
  enumOf,
  integer,
  keyedList,
  map,
  object,
  quantity,
  ref,
  type Schema,
  string,
} from "./dsl.ts";

/** Fields shared by Container and EphemeralContainer (upstream's EphemeralContainerCommon). */
function containerFields(ephemeral: boolean): Record<string, Schema> {
  const notEphemeral = ephemeral ? " Not allowed for ephemeral containers." : "";
  return {
    name: string("The container's name, a DNS label unique among all containers of the pod. Cannot be changed."),
    image: string(
      "The container image to run, such as nginx:1.27 or registry.example.com/app@sha256:…. Workload controllers require it.",
    ),
    command: atomicList(
      string(),
      "The entrypoint, replacing the image's ENTRYPOINT; not run in a shell. $(VAR) references to the container's environment are expanded, $$(VAR) escapes them. Cannot be changed.",
    ),
    args: atomicList(
      string(),
      "Arguments to the entrypoint, replacing the image's CMD. $(VAR) references are expanded as in command. Cannot be changed.",
    ),
    workingDir: string(
      "The directory the command starts in; defaults to the image's working directory. Cannot be changed.",
    ),
    ports: array(
      ref(core("ContainerPort")),
      ephemeral
        ? "Ports are not allowed for ephemeral containers."
        : "Ports the container listens on. Informational: any port the process opens is reachable, but named ports here can be targeted by services and probes. Cannot be changed.",
      {
        listType: "map",
        mapKeys: ["containerPort", "protocol"],
        patchMergeKey: "containerPort",
        patchStrategy: "merge",
      },
    ),
    envFrom: atomicList(
      ref(core("EnvFromSource")),
      "Sources (config maps or secrets) whose keys all become environment variables. Entries in env take precedence; later sources override earlier ones. Cannot be changed.",
    ),
    env: keyedList(
      ref(core("EnvVar")),
      "name",
      "Environment variables to set in the container, by name. Cannot be changed.",
    ),
    resources: ref(
      core("ResourceRequirements"),
      ephemeral
        ? "Resources are not allowed for ephemeral containers; they use the pod's resources."
        : "The compute resources (CPU, memory, …) this container requests and is limited to.",
    ),
    resizePolicy: atomicList(
      ref(core("ContainerResizePolicy")),
      `How the container reacts when its resources are resized in place.${notEphemeral}`,
    ),
    restartPolicy: string(
      ephemeral
        ? "Not allowed for ephemeral containers."
        : "Only for init containers: Always makes it a sidecar that starts before the other containers and keeps running for the pod's lifetime.",
    ),
    volumeMounts: keyedList(
      ref(core("VolumeMount")),
      "mountPath",
      "Volumes of the pod mounted into this container's file system. Cannot be changed.",
    ),
    volumeDevices: keyedList(
      ref(core("VolumeDevice")),
      "devicePath",
      "Raw block devices from the pod's volumes that the container uses.",
    ),
    livenessProbe: ref(
      core("Probe"),
      `Periodic check that the container is alive; the container is restarted when it fails.${notEphemeral}`,
    ),
    readinessProbe: ref(
      core("Probe"),
      `Periodic check that the container can serve traffic; while it fails the pod is removed from service endpoints.${notEphemeral}`,
    ),
    startupProbe: ref(
      core("Probe"),
      `Check that the container has started; liveness and readiness probes begin only after it succeeds.${notEphemeral}`,
    ),
    lifecycle: ref(
      core("Lifecycle"),
      `Actions the system runs right after the container starts and before it is stopped.${notEphemeral}`,
    ),
    terminationMessagePath: string(
      "File inside the container whose contents become the termination message. Defaults to /dev/termination-log. Cannot be changed.",
    ),
    terminationMessagePolicy: enumOf(
      ["FallbackToLogsOnError", "File"],
      "How the termination message is filled: File reads only terminationMessagePath; FallbackToLogsOnError uses the end of the log when that file is empty and the container failed. Defaults to File.",
    ),
    imagePullPolicy: enumOf(
      ["Always", "IfNotPresent", "Never"],
      "When to pull the image: Always, Never, or IfNotPresent. Defaults to Always for the :latest tag or no tag, otherwise IfNotPresent. Cannot be changed.",
    ),
    securityContext: ref(
      core("SecurityContext"),
      "Security options for this container; they override the pod-level securityContext where both are set.",
    ),
    stdin: boolean("Whether the container keeps a stdin buffer open, so that kubectl attach can write to it."),
    stdinOnce: boolean(
      "Whether stdin is closed after the first attached client disconnects (and stays closed until restart).",
    ),
    tty: boolean("Whether the container gets a TTY; requires stdin."),
  };
}

const keySelector = (what: string): Schema =>
  object(
    {
      name: string(`Name of the ${what} in the pod's namespace.`),
      key: string(`The key within the ${what} to read.`),
      optional: boolean(
        `Whether the ${what} or its key may be missing; when false (the default) the pod fails to start.`,
      ),
    },
    `Selects one key of a ${what}.`,
    { required: ["key"], mapType: "atomic" },
  );

const envSource = (what: string): Schema =>
  object(
    {
      name: string(`Name of the ${what} in the pod's namespace.`),
      optional: boolean(`Whether the ${what} may be missing.`),
    },
    `A ${what} whose keys become environment variables.`,
  );

export const containerDefinitions: Definitions = {
  [core("Container")]: object(containerFields(false), "A single application container that runs in a pod.", {
    required: ["name"],
  }),
  [core("EphemeralContainer")]: object(
    {
      ...containerFields(true),
      targetContainerName: string(
        "When set, the ephemeral container joins the namespaces (such as the process namespace) of this container, for debugging it.",
      ),
    },
    "A temporary container added to a running pod for troubleshooting (kubectl debug). It has no resources or probes and is never restarted.",
    { required: ["name"] },
  ),
  [core("ContainerPort")]: object(
    {
      name: string("A name for the port, an IANA_SVC_NAME unique within the pod, that services can refer to."),
      hostPort: integer("A port on the node forwarded to containerPort; most containers should not set it."),
      containerPort: integer("The port number the container listens on, between 1 and 65535."),
      protocol: enumOf(["SCTP", "TCP", "UDP"], "The protocol: TCP (the default), UDP or SCTP."),
      hostIP: string("The node address to bind hostPort to."),
    },
    "A network port of a container.",
    { required: ["containerPort"] },
  ),
  [core("EnvVar")]: object(
    {
      name: string("The variable's name."),
      value: string(
        "The variable's value. $(VAR) references to variables defined earlier are expanded; $$(VAR) escapes them. Defaults to empty.",
      ),
      valueFrom: ref(core("EnvVarSource"), "Where to read the value from instead of value."),
    },
    "An environment variable of a container.",
    { required: ["name"] },
  ),
  [core("EnvVarSource")]: object(
    {
      fieldRef: ref(
        core("ObjectFieldSelector"),
        "A field of the pod: metadata.name, metadata.namespace, metadata.uid, metadata.labels['<key>'], metadata.annotations['<key>'], spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP or status.podIPs.",
      ),
      resourceFieldRef: ref(
        core("ResourceFieldSelector"),
        "A resource limit or request of a container: limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory or requests.ephemeral-storage.",
      ),
      configMapKeyRef: ref(core("ConfigMapKeySelector"), "A key of a config map."),
      secretKeyRef: ref(core("SecretKeySelector"), "A key of a secret."),
    },
    "The source of an environment variable's value; exactly one field is set.",
  ),
  [core("ObjectFieldSelector")]: object(
    {
      apiVersion: string("The API version fieldPath is written against; defaults to v1."),
      fieldPath: string("The path of the field to read."),
    },
    "Selects a field of the pod.",
    { required: ["fieldPath"], mapType: "atomic" },
  ),
  [core("ResourceFieldSelector")]: object(
    {
      containerName: string("The container whose resources are read; required for volumes, optional for env."),
      resource: string("The resource to read, such as limits.cpu or requests.memory."),
      divisor: quantity("The unit the value is expressed in; defaults to 1."),
    },
    "Selects a container's resource limit or request.",
    { required: ["resource"], mapType: "atomic" },
  ),
  [core("ConfigMapKeySelector")]: keySelector("config map"),
  [core("SecretKeySelector")]: keySelector("secret"),
  [core("EnvFromSource")]: object(
    {
      prefix: string("A prefix added to every variable name taken from the source."),
      configMapRef: ref(core("ConfigMapEnvSource"), "The config map to read."),
      secretRef: ref(core("SecretEnvSource"), "The secret to read."),
    },
    "A source of environment variables: all keys of a config map or secret.",
  ),
  [core("ConfigMapEnvSource")]: envSource("config map"),
  [core("SecretEnvSource")]: envSource("secret"),
  [core("ResourceRequirements")]: object(
    {
      limits: map(quantity(), "The most of each resource the container may use, such as cpu: 500m or memory: 256Mi."),
      requests: map(
        quantity(),
        "The amount of each resource the scheduler reserves for the container; defaults to the limit when only a limit is set.",
      ),
      claims: keyedList(
        ref(core("ResourceClaim")),
        "name",
        "Names of the pod's resourceClaims (dynamic resource allocation) this container uses.",
      ),
    },
    "Compute resources a container requests and is limited to.",
  ),
  [core("ResourceClaim")]: object(
    {
      name: string("The name of an entry in the pod's spec.resourceClaims."),
      request: string("Within that claim, the name of one request to use; empty means all of them."),
    },
    "A reference to one of the pod's resource claims.",
    { required: ["name"] },
  ),
  [core("ContainerResizePolicy")]: object(
    {
      resourceName: string("The resource this policy is for: cpu or memory."),
      restartPolicy: string("What happens when it is resized: NotRequired (the default) or RestartContainer."),
    },
    "How a container reacts to an in-place resize of one resource.",
    { required: ["resourceName", "restartPolicy"] },
  ),
  [core("VolumeMount")]: object(
    {
      name: string("The name of the pod volume to mount."),
      readOnly: boolean("Mount read-only when true; defaults to false."),
      recursiveReadOnly: string(
        "Whether read-only mounts also make submounts read-only: Disabled (default), IfPossible or Enabled.",
      ),
      mountPath: string("The path inside the container where the volume appears; must not contain ':'."),
      subPath: string("A path within the volume to mount instead of its root."),
      mountPropagation: enumOf(
        ["Bidirectional", "HostToContainer", "None"],
        "How mounts propagate between the host and the container: None (the default), HostToContainer or Bidirectional.",
      ),
      subPathExpr: string(
        "Like subPath, but $(VAR) references to the container's environment are expanded. Exclusive with subPath.",
      ),
    },
    "Mounts a pod volume into a container.",
    { required: ["name", "mountPath"] },
  ),
  [core("VolumeDevice")]: object(
    {
      name: string("The name of a persistent volume claim of the pod."),
      devicePath: string("The device path inside the container."),
    },
    "Maps a raw block volume into a container.",
    { required: ["name", "devicePath"] },
  ),
};
