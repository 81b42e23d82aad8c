// core/v1 Pod: defaults (SetDefaults_Pod plus the ServiceAccount, DefaultTolerationSeconds and
// Priority admission plugins), the strategy of pkg/registry/core/pod, and printPod's columns.
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from "../../../kube/well-known-taints.ts";
import { type FieldError, forbidden } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { ageColumn, column, wide } from "./columns.ts";
import { defaultPodSpec, validatePodSpec } from "./pod-spec.ts";
import { defaultRequestsFromLimits, podQOSClass } from "./pod-resources.ts";
import { podCells, podIP, readinessGatesCell } from "./pod-status.ts";
import { validateEphemeralContainersUpdate } from "./pod-ephemeral.ts";
import { validatePodUpdate } from "./pod-update.ts";
import type { PrintContext, ResourceKind } from "./types.ts";

const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
const DEFAULT_TOLERATION_SECONDS = 300;

/** The built-in priority classes (scheduling/v1); other classes are not looked up yet. */
const SYSTEM_PRIORITIES: Record<string, number> = {
  "system-node-critical": 2000001000,
  "system-cluster-critical": 2000000000,
};

/** DefaultTolerationSeconds admission: tolerate not-ready/unreachable nodes for 5 minutes. */
function defaultTolerations(spec: LooseObject): void {
  const tolerations: LooseObject[] = spec.tolerations ?? [];
  const covers = (key: string) =>
    tolerations.some((t) => (t.key === key || !t.key) && (t.effect === "NoExecute" || !t.effect));
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE])
    if (!covers(key))
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  spec.tolerations = tolerations;
}

/** SetDefaults_Pod: with the host's network, container ports are host ports too. */
function defaultHostNetworkPorts(spec: LooseObject): void {
  if (!spec.hostNetwork) return;
  for (const ctr of [...(spec.containers ?? []), ...(spec.initContainers ?? [])])
    for (const port of ctr.ports ?? []) if (!port.hostPort) port.hostPort = port.containerPort;
}

function defaultPod(pod: KubeObject): void {
  pod.spec ??= {};
  const spec: LooseObject = pod.spec;
  for (const ctr of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultRequestsFromLimits(ctr);
  spec.enableServiceLinks ??= true;
  defaultHostNetworkPorts(spec);
  defaultPodSpec(spec);
  if (!spec.serviceAccountName && !pod.metadata.annotations?.[MIRROR_POD_ANNOTATION]) {
    spec.serviceAccountName = "default";
    spec.serviceAccount = "default";
  }
  defaultTolerations(spec);
  if (spec.priority === undefined || spec.priority === null)
    spec.priority = SYSTEM_PRIORITIES[spec.priorityClassName ?? ""] ?? 0;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
}

/** PrepareForCreate: the status starts Pending with its QoS class (computed after the defaults). */
/** Upstream's ValidatePodCreate: ephemeral containers only come through their subresource. */
function validatePodCreate(pod: KubeObject): FieldError[] {
  if ((pod.spec?.ephemeralContainers ?? []).length === 0) return [];
  return [forbidden("spec.ephemeralContainers", "cannot be set on create")];
}

function prepareForCreate(pod: KubeObject): void {
  defaultPod(pod);
  const status: LooseObject = { phase: "Pending", qosClass: podQOSClass(pod.spec) };
  if ((pod.spec.schedulingGates ?? []).length > 0)
    status.conditions = [
      {
        type: "PodScheduled",
        status: "False",
        reason: "SchedulingGated",
        message: "Scheduling is blocked due to non-empty scheduling gates",
      },
    ];
  pod.status = status;
}

/**
 * CheckGracefulDelete: the requested period, else the pod's own; at once for a pod no kubelet
 * runs (unbound) or that has finished; a negative period means 1.
 */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
  if (!pod.spec?.nodeName) period = 0;
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") period = 0;
  return period < 0 ? 1 : period;
}

const orNone = (s: string | undefined) => s || "<none>";
const cells = (o: KubeObject, ctx: PrintContext) => podCells(o, ctx.now);

export const pods: ResourceKind = {
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  singular: "pod",
  namespaced: true,
  shortNames: ["po"],
  categories: ["all"],
  nameRule: "subdomain",
  subresources: {
    status: true,
    binding: true,
    eviction: true,
    ephemeralcontainers: { validateUpdate: validateEphemeralContainersUpdate },
  },
  // Upstream sets metadata.generation on pods and bumps it on spec changes (since 1.33).
  tracksGeneration: true,
  columns: [
    column(
      "Ready",
      "string",
      "The aggregate readiness state of this pod for accepting traffic.",
      (o, c) => cells(o, c).ready,
    ),
    column("Status", "string", "The aggregate status of the containers in this pod.", (o, c) => cells(o, c).status),
    column(
      "Restarts",
      "string",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
      (o, c) => cells(o, c).restarts,
    ),
    ageColumn,
    wide(
      "IP",
      "string",
      "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
      (o) => orNone(podIP(o)),
    ),
    wide(
      "Node",
      "string",
      "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.",
      (o) => orNone(o.spec?.nodeName),
    ),
    wide(
      "Nominated Node",
      "string",
      "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.",
      (o) => orNone(o.status?.nominatedNodeName),
    ),
    wide(
      "Readiness Gates",
      "string",
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
      readinessGatesCell,
    ),
  ],
  fields: {
    "spec.nodeName": (o) => o.spec?.nodeName ?? "",
    "spec.restartPolicy": (o) => o.spec?.restartPolicy ?? "",
    "spec.schedulerName": (o) => o.spec?.schedulerName ?? "",
    "spec.serviceAccountName": (o) => o.spec?.serviceAccountName ?? "",
    "spec.hostNetwork": (o) => String(o.spec?.hostNetwork === true),
    "status.phase": (o) => o.status?.phase ?? "",
    "status.podIP": podIP,
    "status.nominatedNodeName": (o) => o.status?.nominatedNodeName ?? "",
  },
  defaults: defaultPod,
  prepareForCreate,
  validate: (o) => validatePodSpec(o.spec, "spec", { isPod: true }),
  validateCreate: validatePodCreate,
  validateUpdate: validatePodUpdate,
  gracePeriod: podGracePeriod,
};
