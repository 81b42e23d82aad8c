// Strategic merge patch metadata as data: upstream reads it from the Go struct tags
// (`patchStrategy:"merge" patchMergeKey:"name"`) of the typed API objects; we keep the same
// facts per kind here. Fields not listed behave as upstream's untagged fields: maps merge key by
// key, lists are replaced whole. To support a new field or kind, add it below.

export interface FieldPatchMeta {
  /** "merge": lists merge by mergeKey (or as a set for primitives). "replace": taken whole. */
  strategy?: "merge" | "replace";
  /** Upstream's "retainKeys" strategy; the $retainKeys directive itself works without it. */
  retainKeys?: boolean;
  /** For merge lists of objects: the field that identifies an element. */
  mergeKey?: string;
  /** Metadata of the value's own fields (of each element, for lists). */
  fields?: PatchSchema;
}

export type PatchSchema = { readonly [field: string]: FieldPatchMeta };

const mergeBy = (mergeKey: string, fields?: PatchSchema): FieldPatchMeta => ({ strategy: "merge", mergeKey, fields });
/** A list of primitives merged as a set (finalizers, podCIDRs). */
const mergeSet: FieldPatchMeta = { strategy: "merge" };
const nested = (fields: PatchSchema): FieldPatchMeta => ({ fields });
const conditionsByType = mergeBy("type");

export const objectMetaSchema: PatchSchema = {
  finalizers: mergeSet,
  ownerReferences: mergeBy("uid"),
};

/** core/v1 Container and EphemeralContainer. */
export const containerSchema: PatchSchema = {
  ports: mergeBy("containerPort"),
  env: mergeBy("name"),
  volumeMounts: mergeBy("mountPath"),
  volumeDevices: mergeBy("devicePath"),
  // envFrom, resizePolicy, command, args: untagged upstream, so replaced.
};

/** core/v1 PodSpec. tolerations, readinessGates and the rest are untagged upstream: replaced. */
export const podSpecSchema: PatchSchema = {
  volumes: { ...mergeBy("name"), retainKeys: true },
  initContainers: mergeBy("name", containerSchema),
  containers: mergeBy("name", containerSchema),
  ephemeralContainers: mergeBy("name", containerSchema),
  imagePullSecrets: mergeBy("name"),
  hostAliases: mergeBy("ip"),
  topologySpreadConstraints: mergeBy("topologyKey"),
  schedulingGates: mergeBy("name"),
  resourceClaims: { ...mergeBy("name"), retainKeys: true },
};

export const podStatusSchema: PatchSchema = {
  conditions: conditionsByType,
  podIPs: mergeBy("ip"),
  hostIPs: mergeBy("ip"),
  resourceClaimStatuses: { ...mergeBy("name"), retainKeys: true },
};

export const podTemplateSpecSchema: PatchSchema = {
  metadata: nested(objectMetaSchema),
  spec: nested(podSpecSchema),
};

/** Workloads: a pod template under spec.template, conditions by type in status. */
const workloadSchema = (specExtra: PatchSchema = {}): PatchSchema => ({
  spec: nested({ template: nested(podTemplateSpecSchema), ...specExtra }),
  status: nested({ conditions: conditionsByType }),
});

const jobSpecSchema: PatchSchema = { template: nested(podTemplateSpecSchema) };

const kindSchemas: Record<string, PatchSchema> = {
  Pod: { spec: nested(podSpecSchema), status: nested(podStatusSchema) },
  PodTemplate: { template: nested(podTemplateSpecSchema) },
  ReplicationController: workloadSchema(),
  ReplicaSet: workloadSchema(),
  Deployment: workloadSchema({ strategy: { retainKeys: true } }),
  DaemonSet: workloadSchema(),
  StatefulSet: workloadSchema(),
  Job: workloadSchema(),
  CronJob: {
    spec: nested({ jobTemplate: nested({ metadata: nested(objectMetaSchema), spec: nested(jobSpecSchema) }) }),
  },
  Service: {
    // Upstream's list-map key is (port, protocol); strategic merge uses port alone.
    spec: nested({ ports: mergeBy("port") }),
    status: nested({ conditions: conditionsByType }),
  },
  Node: {
    spec: nested({ podCIDRs: mergeSet }),
    status: nested({ conditions: conditionsByType, addresses: mergeBy("type") }),
  },
  Namespace: { status: nested({ conditions: conditionsByType }) },
  PersistentVolumeClaim: { status: nested({ conditions: conditionsByType }) },
  // Endpoints' subsets and addresses are untagged upstream: replaced whole.
};

/** The schema for a kind's objects; every kind gets ObjectMeta's merge lists. */
export function patchSchemaForKind(kind: string): PatchSchema {
  const own = Object.hasOwn(kindSchemas, kind) ? kindSchemas[kind] : {};
  return { ...own, metadata: nested(objectMetaSchema) };
}

/** Metadata for one field of a schema; unknown fields get {} (merge maps, replace lists). */
export function fieldPatchMeta(schema: PatchSchema | undefined, field: string): FieldPatchMeta {
  return schema && Object.hasOwn(schema, field) ? schema[field] : {};
}
