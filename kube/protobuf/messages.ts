// Every message descriptor the decoder knows, and which message each top-level kind is encoded as.
import { APPS_MESSAGES } from "./messages/apps.ts";
import { AUTOSCALING_KINDS, AUTOSCALING_MESSAGES } from "./messages/autoscaling.ts";
import { BATCH_MESSAGES } from "./messages/batch.ts";
import { CORE_CONTAINER_MESSAGES } from "./messages/core-containers.ts";
import { CORE_KIND_MESSAGES } from "./messages/core-kinds.ts";
import { CORE_POD_MESSAGES } from "./messages/core-pod.ts";
import { CORE_VOLUME_MESSAGES } from "./messages/core-volumes.ts";
import { META_MESSAGES } from "./messages/meta.ts";
import { type MessageTable, mergeTables } from "./schema.ts";

export const MESSAGES: MessageTable = mergeTables(
  META_MESSAGES,
  CORE_KIND_MESSAGES,
  CORE_POD_MESSAGES,
  CORE_CONTAINER_MESSAGES,
  CORE_VOLUME_MESSAGES,
  APPS_MESSAGES,
  BATCH_MESSAGES,
  AUTOSCALING_MESSAGES,
);

/**
 * apiVersion → kind → message. Kinds the server serves that kubectl never sends as protobuf bodies (Node,
 * Endpoints, Event, Lease, …) are left out; a body of such a kind is refused with a clear error.
 */
export const KIND_MESSAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    Namespace: "Namespace",
    ConfigMap: "ConfigMap",
    Secret: "Secret",
    Service: "Service",
    ServiceAccount: "ServiceAccount",
    Pod: "Pod",
  },
  "apps/v1": { Deployment: "Deployment", ReplicaSet: "ReplicaSet", StatefulSet: "StatefulSet", DaemonSet: "DaemonSet" },
  "batch/v1": { Job: "Job", CronJob: "CronJob" },
  ...AUTOSCALING_KINDS,
};
