// storage.k8s.io/v1 StorageClass: cluster-scoped, the defaults of SetDefaults_StorageClass
// (reclaimPolicy Delete, volumeBindingMode Immediate), ValidateStorageClass(Update) and
// printStorageClass with its "(default)" mark. Every cluster starts with the class `local-path`,
// whose volumes the agents make as directories on their nodes.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isQualifiedName } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column, NAME_DESCRIPTION } from "./columns.ts";
import { immutable, sameJson, tooLong } from "./meta.ts";
import { isDefaultClass } from "./storage-common.ts";
import type { ResourceKind } from "./types.ts";

/** The provisioner the cluster itself serves: a directory per volume on the node the pod runs on. */
export const LOCAL_PATH_PROVISIONER = "flotilla.dev/local-path";
export const DEFAULT_CLASS_NAME = "local-path";

/** The class every cluster starts with, as a cluster add-on (local-path-provisioner) would install it. */
export const DEFAULT_STORAGE_CLASS: KubeObject = {
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name: DEFAULT_CLASS_NAME, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
  provisioner: LOCAL_PATH_PROVISIONER,
  reclaimPolicy: "Delete",
  volumeBindingMode: "WaitForFirstConsumer",
  allowVolumeExpansion: false,
};

const PROVISIONER_MAX_LENGTH = 63 + 253 + 1;
const MAX_PARAMETERS_SIZE = 256 * 1024;
const MAX_PARAMETERS = 512;
const RECLAIM_POLICIES = ["Delete", "Retain"];
const BINDING_MODES = ["Immediate", "WaitForFirstConsumer"];

function validateProvisioner(p: unknown): FieldError[] {
  if (typeof p !== "string" || p === "") return [required("provisioner", "")];
  if (p.length > PROVISIONER_MAX_LENGTH) return [tooLong("provisioner", PROVISIONER_MAX_LENGTH)];
  return isQualifiedName(p.toLowerCase()).map((msg) => invalid("provisioner", p, msg));
}

function validateParameters(params: unknown): FieldError[] {
  const entries = Object.entries((params ?? {}) as Record<string, string>);
  if (entries.length > MAX_PARAMETERS)
    return [{ type: "FieldValueTooMany", field: "parameters", detail: `must have at most ${MAX_PARAMETERS} items` }];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries) {
    if (k.length < 1) errs.push(invalid("parameters", k, "field can not be empty."));
    size += k.length + String(v).length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(tooLong("parameters", MAX_PARAMETERS_SIZE));
  return errs;
}

function validateStorageClass(o: KubeObject): FieldError[] {
  const errs = [...validateProvisioner(o.provisioner), ...validateParameters(o.parameters)];
  const policy = o.reclaimPolicy;
  if (typeof policy === "string" && policy !== "" && !RECLAIM_POLICIES.includes(policy))
    errs.push(notSupported("reclaimPolicy", policy, RECLAIM_POLICIES));
  const mode = o.volumeBindingMode;
  if (mode === undefined || mode === null) errs.push(required("volumeBindingMode", ""));
  else if (!BINDING_MODES.includes(String(mode))) errs.push(notSupported("volumeBindingMode", mode, BINDING_MODES));
  return errs;
}

function validateStorageClassUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!sameJson(o.parameters ?? {}, old.parameters ?? {}))
    errs.push(forbidden("parameters", "updates to parameters are forbidden."));
  if (o.provisioner !== old.provisioner) errs.push(forbidden("provisioner", "updates to provisioner are forbidden."));
  if (o.reclaimPolicy !== old.reclaimPolicy)
    errs.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  return [...errs, ...immutable("volumeBindingMode", o.volumeBindingMode, old.volumeBindingMode)];
}

export const storageClasses: ResourceKind = {
  group: "storage.k8s.io",
  version: "v1",
  kind: "StorageClass",
  plural: "storageclasses",
  singular: "storageclass",
  namespaced: false,
  shortNames: ["sc"],
  nameRule: "subdomain",
  columns: [
    column("Name", "string", NAME_DESCRIPTION, (o) => `${o.metadata.name}${isDefaultClass(o) ? " (default)" : ""}`, {
      format: "name",
    }),
    column("Provisioner", "string", "provisioner indicates the type of the provisioner.", (o) => o.provisioner ?? ""),
    column(
      "ReclaimPolicy",
      "string",
      "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.",
      (o) => o.reclaimPolicy ?? "Delete",
    ),
    column(
      "VolumeBindingMode",
      "string",
      "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.",
      (o) => o.volumeBindingMode ?? "Immediate",
    ),
    column(
      "AllowVolumeExpansion",
      "string",
      "allowVolumeExpansion shows whether the storage class allow volume expand.",
      (o) => o.allowVolumeExpansion === true,
    ),
    ageColumn,
  ],
  defaults(o) {
    o.reclaimPolicy ??= "Delete";
    o.volumeBindingMode ??= "Immediate";
  },
  validate: validateStorageClass,
  validateUpdate: validateStorageClassUpdate,
};
