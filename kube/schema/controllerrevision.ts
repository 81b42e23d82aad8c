// apps/v1 ControllerRevision: an immutable snapshot of a DaemonSet's or StatefulSet's template,
// and apimachinery's RawExtension that holds it.
import { apps, type Definitions, int64, kindObject, preserveUnknown, ref } from "./dsl.ts";

const RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";

export const controllerRevisionDefinitions: Definitions = {
  [apps("ControllerRevision")]: kindObject(
    { group: "apps", version: "v1", kind: "ControllerRevision" },
    "An immutable snapshot of state data, kept by DaemonSets and StatefulSets for update and rollback. Its data cannot be changed once created; its metadata can.",
    {
      data: ref(RAW_EXTENSION, "The serialized state: for the workload controllers, a patch with the pod template."),
      revision: int64("The revision of the state represented by data."),
    },
    { required: ["revision"] },
  ),
  [RAW_EXTENSION]: preserveUnknown("Any JSON value, kept as it was sent (runtime.RawExtension)."),
};
