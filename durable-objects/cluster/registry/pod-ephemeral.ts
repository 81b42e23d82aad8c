// Ephemeral containers (kubectl debug): upstream's validateEphemeralContainers, run with the pod spec's
// validation, and ValidatePodEphemeralContainersUpdate for the pods/ephemeralcontainers subresource,
// through which alone they are added.
import { duplicate, type FieldError, forbidden, notFound } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { sameJson } from "./meta.ts";
import { validateCommon, validateImagesOnlyForPod } from "./pod-containers.ts";

const NOT_FOR_EPHEMERAL = "cannot be set for an Ephemeral Container";
const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

/**
 * The EphemeralContainerCommon fields upstream's allow-list leaves out, in the Go struct's order (the
 * order its errors come in). Upstream reports any non-zero value, so `resources: {}` passes.
 */
const FORBIDDEN_FIELDS = [
  "ports",
  "resources",
  "resizePolicy",
  "restartPolicy",
  "livenessProbe",
  "readinessProbe",
  "startupProbe",
  "lifecycle",
];

/** Go's zero value after JSON decoding: absent, null, false, 0, "", and empty lists and objects. */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.values(v as LooseObject).every(isZero);
  return false;
}

/** validateEphemeralContainers: at `field` (spec.ephemeralContainers) of a pod whose other containers are given. */
export function validateEphemeralContainers(spec: LooseObject, volumes: Set<string>, field: string): FieldError[] {
  const list: LooseObject[] = spec.ephemeralContainers ?? [];
  if (list.length === 0) return [];
  const others = new Set<string>(
    [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c: LooseObject) => c.name),
  );
  const names = new Set(others);
  const errs: FieldError[] = [];
  list.forEach((ec, i) => {
    const at = `${field}[${i}]`;
    errs.push(...validateCommon(ec, volumes, at));
    if (names.has(ec.name)) errs.push(duplicate(`${at}.name`, ec.name));
    else names.add(ec.name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName))
      errs.push(notFound(`${at}.targetContainerName`, ec.targetContainerName));
    for (const f of FORBIDDEN_FIELDS) if (!isZero(ec[f])) errs.push(forbidden(`${at}.${f}`, NOT_FOR_EPHEMERAL));
    (ec.volumeMounts ?? []).forEach((m: LooseObject, j: number) => {
      for (const sub of ["subPath", "subPathExpr"])
        if (m[sub]) errs.push(forbidden(`${at}.volumeMounts[${j}].${sub}`, NOT_FOR_EPHEMERAL));
    });
  });
  errs.push(...validateImagesOnlyForPod(list, field));
  return errs;
}

/**
 * ValidatePodEphemeralContainersUpdate's own part (the spec itself is validated as any pod's): entries may
 * be added, never removed or changed; static pods take none. Upstream follows "may not be changed" with a
 * Go cmp.Diff, left out here as in the pod update message.
 */
export function validateEphemeralContainersUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  if (old.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined)
    return [forbidden("", "static pods do not support ephemeral containers")];
  const next = new Map<string, LooseObject>(
    ((pod.spec?.ephemeralContainers ?? []) as LooseObject[]).map((c) => [c.name, c]),
  );
  const errs: FieldError[] = [];
  const field = "spec.ephemeralContainers";
  for (const before of (old.spec?.ephemeralContainers ?? []) as LooseObject[]) {
    const after = next.get(before.name);
    if (!after) errs.push(forbidden(field, `existing ephemeral containers "${before.name}" may not be removed\n`));
    else if (!sameJson(before, after))
      errs.push(forbidden(field, `existing ephemeral containers "${before.name}" may not be changed\n`));
  }
  return errs;
}
