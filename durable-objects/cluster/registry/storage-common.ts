// What PersistentVolumes, claims and classes share: access modes (validation and the RWO/ROX/RWX/RWOP
// short form of helper.GetAccessModesAsString), storage quantities, class names as
// helper.GetPersistentVolume(Claim)Class reads them, and the default-class annotation.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isDNS1123Subdomain } from "../../../kube/names.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { QUANTITY_MSG, quantityNanos } from "./pod-resources.ts";

export const PERSISTENT_VOLUMES = "persistentvolumes";
export const PERSISTENT_VOLUME_CLAIMS = "persistentvolumeclaims";
export const STORAGE_CLASSES = "storageclasses.storage.k8s.io";

export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
export const BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
/** The class annotation older clients set instead of storageClassName. */
export const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

const ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
const SHORT_MODES: [string, string][] = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

/** storageutil.IsDefaultAnnotation. */
export function isDefaultClass(sc: KubeObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[DEFAULT_CLASS_ANNOTATION] === "true" || a[BETA_DEFAULT_CLASS_ANNOTATION] === "true";
}

/** helper.GetPersistentVolumeClass / GetPersistentVolumeClaimClass: the beta annotation wins. */
export function classOf(obj: KubeObject): string {
  const beta = obj.metadata.annotations?.[BETA_CLASS_ANNOTATION];
  if (beta !== undefined) return beta;
  return typeof obj.spec?.storageClassName === "string" ? obj.spec.storageClassName : "";
}

/** helper.GetAccessModesAsString. */
export function accessModesText(modes: unknown): string {
  const list = Array.isArray(modes) ? modes : [];
  return SHORT_MODES.filter(([m]) => list.includes(m))
    .map(([, s]) => s)
    .join(",");
}

/** The access-mode rules ValidatePersistentVolumeSpec and ValidatePersistentVolumeClaimSpec share. */
export function validateAccessModes(modes: unknown, field: string, emptyDetail: string): FieldError[] {
  const list: unknown[] = Array.isArray(modes) ? modes : [];
  if (list.length === 0) return [required(field, emptyDetail)];
  const errs: FieldError[] = [];
  for (const m of list) if (!ACCESS_MODES.includes(String(m))) errs.push(notSupported(field, m, ACCESS_MODES));
  if (list.includes("ReadWriteOncePod") && list.length > 1)
    errs.push(forbidden(field, "may not use ReadWriteOncePod with other access modes"));
  return errs;
}

/** validateBasicResource + ValidatePositiveQuantityValue for a storage amount. */
export function positiveQuantity(value: unknown, field: string): FieldError[] {
  const n = typeof value === "string" || typeof value === "number" ? quantityNanos(value) : undefined;
  if (n === undefined) return [invalid(field, value, QUANTITY_MSG)];
  return n <= 0n ? [invalid(field, String(value), "must be greater than zero")] : [];
}

/** A storage quantity in bytes (rounded up), 0 when absent or unparsable. */
export function storageBytes(value: unknown): bigint {
  if (typeof value !== "string" && typeof value !== "number") return 0n;
  const n = quantityNanos(value);
  return n === undefined ? 0n : (n + 999_999_999n) / 1_000_000_000n;
}

/** ValidateClassName (a DNS subdomain) for a storage class reference. */
export function validateClassName(name: unknown, field: string): FieldError[] {
  if (typeof name !== "string" || name === "") return [];
  return isDNS1123Subdomain(name).map((msg) => invalid(field, name, msg));
}

const VOLUME_MODES = ["Block", "Filesystem"];

export function validateVolumeMode(mode: unknown, field: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  return VOLUME_MODES.includes(String(mode)) ? [] : [notSupported(field, mode, VOLUME_MODES)];
}

interface PodVolume {
  name?: string;
  persistentVolumeClaim?: { claimName?: string };
  ephemeral?: unknown;
}

export interface PodClaim {
  /** The claim's name. */
  name: string;
  /** The pod volume naming it. */
  volume: string;
  ephemeral: boolean;
}

/** The claims a pod's volumes name: `persistentVolumeClaim` ones, and `<pod>-<volume>` for ephemeral ones. */
export function podClaims(pod: KubeObject): PodClaim[] {
  const volumes: PodVolume[] = pod.spec?.volumes ?? [];
  return volumes.flatMap((v): PodClaim[] => {
    const volume = v.name ?? "";
    if (v.persistentVolumeClaim?.claimName)
      return [{ name: v.persistentVolumeClaim.claimName, volume, ephemeral: false }];
    return v.ephemeral ? [{ name: `${pod.metadata.name}-${v.name}`, volume, ephemeral: true }] : [];
  });
}
