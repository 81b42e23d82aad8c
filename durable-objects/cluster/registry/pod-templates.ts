// Where each workload kind keeps the pod spec it makes pods from, for ResourceKind.podTemplate.
import type { PodSpec } from "../../../kube/pod-types.ts";
import type { KubeObject } from "../../../kube/types.ts";

/** Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs: spec.template.spec. */
export const templateSpec = (obj: KubeObject): PodSpec | undefined => obj.spec?.template?.spec;

/** CronJobs: the pod template of their job template. */
export const jobTemplateSpec = (obj: KubeObject): PodSpec | undefined => obj.spec?.jobTemplate?.spec?.template?.spec;
