// core/v1 PersistentVolume: cluster-scoped, SetDefaults_PersistentVolume (Retain, Filesystem),
// a new volume starts Pending (the strategy's PrepareForCreate), ValidatePersistentVolume(Spec),
// ValidatePersistentVolumeUpdate (the source and volume mode are immutable; node affinity may be
// set once) and printPersistentVolume's columns.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column, wide } from "./columns.ts";
import { immutable, sameJson } from "./meta.ts";
import {
  accessModesText,
  classOf,
  positiveQuantity,
  validateAccessModes,
  validateClassName,
  validateVolumeMode,
} from "./storage-common.ts";
import type { ResourceKind } from "./types.ts";

/** The volume sources a PersistentVolumeSpec may carry (exactly one of them). */
export const PV_SOURCES = [
  "hostPath",
  "local",
  "nfs",
  "csi",
  "iscsi",
  "fc",
  "rbd",
  "cephfs",
  "cinder",
  "glusterfs",
  "flexVolume",
  "flocker",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "azureDisk",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
] as const;

const RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"];
const HOST_PATH_TYPES = [
  "",
  "BlockDevice",
  "CharDevice",
  "Directory",
  "DirectoryOrCreate",
  "File",
  "FileOrCreate",
  "Socket",
];

/** validatePathNoBacksteps: no ".." element. */
function backsteps(path: string, field: string): FieldError[] {
  return path.split("/").includes("..") ? [invalid(field, path, "must not contain '..'")] : [];
}

function validateSources(spec: Record<string, unknown>): FieldError[] {
  const present = PV_SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (present.length === 0) return [required("spec", "must specify a volume type")];
  const errs = present.slice(1).map((s) => forbidden(`spec.${s}`, "may not specify more than 1 volume type"));
  const hostPath = spec.hostPath as { path?: string; type?: string } | undefined;
  if (hostPath) {
    if (!hostPath.path) errs.push(required("spec.hostPath.path", ""));
    else errs.push(...backsteps(hostPath.path, "spec.hostPath.path"));
    if (hostPath.type !== undefined && !HOST_PATH_TYPES.includes(hostPath.type))
      errs.push(notSupported("spec.hostPath.type", hostPath.type, HOST_PATH_TYPES.slice(1)));
  }
  const local = spec.local as { path?: string } | undefined;
  if (local) {
    if (!local.path) errs.push(required("spec.local.path", ""));
    else errs.push(...backsteps(local.path, "spec.local.path"));
    if (!spec.nodeAffinity) errs.push(required("spec.nodeAffinity", "Local volumes require node affinity"));
  }
  return errs;
}

function validateNodeAffinity(affinity: unknown): FieldError[] {
  if (affinity === undefined || affinity === null) return [];
  const req = (affinity as { required?: { nodeSelectorTerms?: unknown[] } }).required;
  if (!req) return [required("spec.nodeAffinity.required", "must specify required node constraints")];
  if (!Array.isArray(req.nodeSelectorTerms) || req.nodeSelectorTerms.length === 0)
    return [required("spec.nodeAffinity.required.nodeSelectorTerms", "must have at least one node selector term")];
  return [];
}

export function validatePersistentVolume(o: KubeObject): FieldError[] {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const errs = validateAccessModes(spec.accessModes, "spec.accessModes", "");
  const capacity = (spec.capacity ?? {}) as Record<string, unknown>;
  const keys = Object.keys(capacity);
  if (keys.length === 0) errs.push(required("spec.capacity", ""));
  if (!("storage" in capacity) || keys.length > 1) errs.push(notSupported("spec.capacity", capacity, ["storage"]));
  for (const k of keys) errs.push(...positiveQuantity(capacity[k], `spec.capacity[${k}]`));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy !== undefined && !RECLAIM_POLICIES.includes(String(policy)))
    errs.push(notSupported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES));
  errs.push(...validateClassName(spec.storageClassName, "spec.storageClassName"));
  errs.push(...validateVolumeMode(spec.volumeMode, "spec.volumeMode"));
  errs.push(...validateNodeAffinity(spec.nodeAffinity));
  errs.push(...validateSources(spec));
  return errs;
}

function sourceOf(spec: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(PV_SOURCES.filter((s) => spec?.[s] !== undefined).map((s) => [s, spec?.[s]]));
}

function validatePersistentVolumeUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!sameJson(sourceOf(o.spec), sourceOf(old.spec)))
    errs.push(forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
  errs.push(...immutable("volumeMode", o.spec?.volumeMode, old.spec?.volumeMode));
  if (old.spec?.nodeAffinity) errs.push(...immutable("nodeAffinity", o.spec?.nodeAffinity, old.spec.nodeAffinity));
  return errs;
}

const phaseCell = (o: KubeObject) => (o.metadata.deletionTimestamp ? "Terminating" : (o.status?.phase ?? ""));

export const persistentVolumes: ResourceKind = {
  group: "",
  version: "v1",
  kind: "PersistentVolume",
  plural: "persistentvolumes",
  singular: "persistentvolume",
  namespaced: false,
  shortNames: ["pv"],
  nameRule: "subdomain",
  subresources: { status: true },
  columns: [
    column(
      "Capacity",
      "string",
      "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
      (o) => String(o.spec?.capacity?.storage ?? "0"),
    ),
    column(
      "Access Modes",
      "string",
      "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes",
      (o) => accessModesText(o.spec?.accessModes),
    ),
    column(
      "Reclaim Policy",
      "string",
      "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming",
      (o) => o.spec?.persistentVolumeReclaimPolicy ?? "",
    ),
    column(
      "Status",
      "string",
      "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase",
      phaseCell,
    ),
    column(
      "Claim",
      "string",
      "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding",
      (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace ?? ""}/${o.spec.claimRef.name ?? ""}` : ""),
    ),
    column("StorageClass", "string", "StorageClass of the pv", classOf),
    column(
      "VolumeAttributesClass",
      "string",
      "VolumeAttributesClass of the pv",
      (o) => o.spec?.volumeAttributesClassName ?? "<unset>",
    ),
    column(
      "Reason",
      "string",
      "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.",
      (o) => o.status?.reason ?? "",
    ),
    ageColumn,
    wide(
      "VolumeMode",
      "string",
      "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.",
      (o) => o.spec?.volumeMode ?? "<unset>",
    ),
  ],
  fields: { "status.phase": (o) => o.status?.phase ?? "" },
  defaults(o) {
    o.spec ??= {};
    o.spec.persistentVolumeReclaimPolicy ??= "Retain";
    o.spec.volumeMode ??= "Filesystem";
  },
  prepareForCreate(o) {
    o.status = { phase: "Pending" };
  },
  validate: validatePersistentVolume,
  validateUpdate: validatePersistentVolumeUpdate,
};
