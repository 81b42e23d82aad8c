// core/v1 PersistentVolumeClaim: SetDefaults (Filesystem), a new claim starts Pending,
// ValidatePersistentVolumeClaim(Spec) and ValidatePersistentVolumeClaimUpdate: the spec is
// immutable except that volumeName may be set once, a class may be set where none was, and a bound
// claim's storage request may grow (the resize admission checks the class allows it). Columns as
// printPersistentVolumeClaim.
import { type FieldError, forbidden, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column, wide } from "./columns.ts";
import { sameJson } from "./meta.ts";
import {
  accessModesText,
  BETA_CLASS_ANNOTATION,
  classOf,
  positiveQuantity,
  storageBytes,
  validateAccessModes,
  validateClassName,
  validateVolumeMode,
} from "./storage-common.ts";
import type { ResourceKind } from "./types.ts";
import { validateLabelSelector } from "./workload-validation.ts";

/** ValidatePersistentVolumeClaimSpec under `at` (spec, or a template's spec). */
export function validateClaimSpec(spec: Record<string, unknown> | undefined, at: string): FieldError[] {
  const s = spec ?? {};
  const errs = validateAccessModes(s.accessModes, `${at}.accessModes`, "at least 1 access mode is required");
  errs.push(...validateLabelSelector(s.selector as never, `${at}.selector`));
  const requests = ((s.resources as { requests?: Record<string, unknown> } | undefined)?.requests ?? {}) as Record<
    string,
    unknown
  >;
  if (!("storage" in requests)) errs.push(required(`${at}.resources[storage]`, ""));
  else errs.push(...positiveQuantity(requests.storage, `${at}.resources[storage]`));
  errs.push(...validateClassName(s.storageClassName, `${at}.storageClassName`));
  errs.push(...validateVolumeMode(s.volumeMode, `${at}.volumeMode`));
  return errs;
}

function validateClaimUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const next = structuredClone(o.spec ?? {});
  const before = structuredClone(old.spec ?? {});
  // The PV controller binds by setting volumeName: allowed once.
  if (!before.volumeName) before.volumeName = next.volumeName;
  // RetroactiveDefaultStorageClass: a claim without a class may get one.
  if (
    (before.storageClassName === undefined || before.storageClassName === null) &&
    old.metadata.annotations?.[BETA_CLASS_ANNOTATION] === undefined
  )
    before.storageClassName = next.storageClassName;
  // A bound claim's storage request may change; the resize rules below and in admission decide.
  if (o.status?.phase === "Bound" && next.resources?.requests)
    next.resources.requests.storage = before.resources?.requests?.storage;
  const errs: FieldError[] = [];
  if (!sameJson(next, before))
    errs.push(
      forbidden(
        "spec",
        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
      ),
    );
  const newSize = storageBytes(o.spec?.resources?.requests?.storage);
  const oldSize = storageBytes(old.spec?.resources?.requests?.storage);
  if (newSize < oldSize)
    errs.push(forbidden("spec.resources.requests.storage", "field can not be less than previous value"));
  return errs;
}

const phaseCell = (o: KubeObject) => (o.metadata.deletionTimestamp ? "Terminating" : (o.status?.phase ?? ""));
const bound = (o: KubeObject) => Boolean(o.spec?.volumeName);

export const persistentVolumeClaims: ResourceKind = {
  group: "",
  version: "v1",
  kind: "PersistentVolumeClaim",
  plural: "persistentvolumeclaims",
  singular: "persistentvolumeclaim",
  namespaced: true,
  shortNames: ["pvc"],
  nameRule: "subdomain",
  subresources: { status: true },
  columns: [
    column("Status", "string", "phase represents the current phase of PersistentVolumeClaim.", phaseCell),
    column(
      "Volume",
      "string",
      "volumeName is the binding reference to the PersistentVolume backing this claim.",
      (o) => o.spec?.volumeName ?? "",
    ),
    column("Capacity", "string", "capacity represents the actual resources of the underlying volume.", (o) =>
      bound(o) ? String(o.status?.capacity?.storage ?? "0") : "",
    ),
    column(
      "Access Modes",
      "string",
      "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1",
      (o) => (bound(o) ? accessModesText(o.status?.accessModes) : ""),
    ),
    column("StorageClass", "string", "StorageClass of the pvc", classOf),
    column(
      "VolumeAttributesClass",
      "string",
      "VolumeAttributesClass of the pvc",
      (o) => o.spec?.volumeAttributesClassName ?? "<unset>",
    ),
    ageColumn,
    wide(
      "VolumeMode",
      "string",
      "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.",
      (o) => o.spec?.volumeMode ?? "<unset>",
    ),
  ],
  defaults(o) {
    o.spec ??= {};
    o.spec.volumeMode ??= "Filesystem";
  },
  prepareForCreate(o) {
    o.status = { phase: "Pending" };
  },
  validate: (o) => validateClaimSpec(o.spec, "spec"),
  validateUpdate: validateClaimUpdate,
};
