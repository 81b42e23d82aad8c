// Every kind the cluster serves, in discovery order (core first, as upstream lists them).
import { configMaps } from "./configmaps.ts";
import { controllerRevisions } from "./controllerrevisions.ts";
import { cronJobs } from "./cronjobs.ts";
import { customResourceDefinitions } from "./customresourcedefinitions.ts";
import { daemonSets } from "./daemonsets.ts";
import { deployments } from "./deployments.ts";
import { endpoints } from "./endpoints.ts";
import { endpointSlices } from "./endpointslices.ts";
import { coreEvents } from "./events.ts";
import { events } from "./events-v1.ts";
import { horizontalPodAutoscalers } from "./horizontalpodautoscalers.ts";
import { horizontalPodAutoscalersV1 } from "./horizontalpodautoscalers-v1.ts";
import { ingressClasses, ingresses } from "./ingresses.ts";
import { jobs } from "./jobs.ts";
import { leases } from "./leases.ts";
import { limitRanges } from "./limitranges.ts";
import { KindIndex } from "./lookup.ts";
import { namespaces } from "./namespaces.ts";
import { networkPolicies } from "./networkpolicies.ts";
import { nodes } from "./nodes.ts";
import { persistentVolumeClaims } from "./persistentvolumeclaims.ts";
import { persistentVolumes } from "./persistentvolumes.ts";
import { podTemplates } from "./podtemplates.ts";
import { podDisruptionBudgets } from "./poddisruptionbudgets.ts";
import { pods } from "./pods.ts";
import { priorityClasses } from "./priorityclasses.ts";
import { clusterRoleBindings, roleBindings } from "./rbac-bindings.ts";
import { clusterRoles, roles } from "./rbac-roles.ts";
import { replicationControllers } from "./replicationcontrollers.ts";
import { replicaSets } from "./replicasets.ts";
import { resourceQuotas } from "./resourcequotas.ts";
import { secrets } from "./secrets.ts";
import { serviceAccounts } from "./serviceaccounts.ts";
import { services } from "./services.ts";
import { statefulSets } from "./statefulsets.ts";
import { storageClasses } from "./storageclasses.ts";
import type { ResourceKind } from "./types.ts";
import { validatingAdmissionPolicies, validatingAdmissionPolicyBindings } from "./validatingadmissionpolicies.ts";

export const allKinds: readonly ResourceKind[] = [
  // core/v1
  configMaps,
  endpoints,
  coreEvents,
  limitRanges,
  namespaces,
  nodes,
  persistentVolumeClaims,
  persistentVolumes,
  pods,
  podTemplates,
  replicationControllers,
  resourceQuotas,
  secrets,
  serviceAccounts,
  services,
  // apiextensions.k8s.io/v1
  customResourceDefinitions,
  // apps/v1
  controllerRevisions,
  daemonSets,
  deployments,
  replicaSets,
  statefulSets,
  // events.k8s.io/v1
  events,
  // autoscaling/v2 (stored), autoscaling/v1 (converted)
  horizontalPodAutoscalers,
  horizontalPodAutoscalersV1,
  // batch/v1
  cronJobs,
  jobs,
  // coordination.k8s.io/v1
  leases,
  // discovery.k8s.io/v1
  endpointSlices,
  // scheduling.k8s.io/v1
  priorityClasses,
  // networking.k8s.io/v1
  networkPolicies,
  ingressClasses,
  ingresses,
  // policy/v1
  podDisruptionBudgets,
  // rbac.authorization.k8s.io/v1
  clusterRoleBindings,
  clusterRoles,
  roleBindings,
  roles,
  // storage.k8s.io/v1
  storageClasses,
  // admissionregistration.k8s.io/v1
  validatingAdmissionPolicies,
  validatingAdmissionPolicyBindings,
];

export const kindIndex = new KindIndex(allKinds);
