// ValidatePodUpdate (pkg/apis/core/validation): a pod's spec is immutable except for a few
// fields. Field-level rules come first; then the spec, with the mutable fields taken from the
// old pod, must equal the old spec.
import { type FieldError, forbidden, invalid } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { sameJson } from "./meta.ts";

/**
 * Upstream's message. Upstream appends a newline and a Go cmp.Diff of the two specs; we leave the
 * diff out, since its Go struct syntax cannot be reproduced faithfully.
 */
export const POD_UPDATE_FORBIDDEN =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

const MAX_INT32 = 2147483647;
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function activeDeadlineErrors(spec: LooseObject, old: LooseObject): FieldError[] {
  const field = "spec.activeDeadlineSeconds";
  const next = num(spec.activeDeadlineSeconds);
  const before = num(old.activeDeadlineSeconds);
  if (next === undefined)
    return before !== undefined ? [invalid(field, null, "must not update from a positive integer to nil value")] : [];
  if (next < 0 || next > MAX_INT32) return [invalid(field, next, `must be between 0 and ${MAX_INT32}, inclusive`)];
  if (before !== undefined && before < next)
    return [invalid(field, next, "must be less than or equal to previous value")];
  return [];
}

/** validateOnlyAddedTolerations: every old toleration must survive, except for its tolerationSeconds. */
function tolerationErrors(next: LooseObject[] | undefined, old: LooseObject[] | undefined): FieldError[] {
  for (const o of old ?? []) {
    const kept = (next ?? []).some((n) => sameJson({ ...o, tolerationSeconds: n.tolerationSeconds }, n));
    if (!kept)
      return [forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")];
  }
  return [];
}

/** validateOnlyDeletedSchedulingGates. */
function schedulingGateErrors(next: LooseObject[] | undefined, old: LooseObject[] | undefined): FieldError[] {
  const before = new Set((old ?? []).map((g) => g.name));
  const errs: FieldError[] = [];
  (next ?? []).forEach((g, i) => {
    if (!before.has(g.name))
      errs.push(
        forbidden(
          `spec.schedulingGates[${i}].name`,
          `only deletion is allowed, but found new scheduling gate '${g.name}'`,
        ),
      );
  });
  return errs;
}

/** The new spec with every field a pod update may change reset to the old pod's value. */
function munged(spec: LooseObject, old: LooseObject): LooseObject {
  const m = structuredClone(spec);
  for (const list of ["containers", "initContainers"])
    (m[list] ?? []).forEach((c: LooseObject, i: number) => {
      c.image = old[list][i].image;
    });
  m.activeDeadlineSeconds = old.activeDeadlineSeconds;
  m.tolerations = old.tolerations;
  m.schedulingGates = old.schedulingGates;
  const oldGrace = num(old.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && m.terminationGracePeriodSeconds === 1)
    m.terminationGracePeriodSeconds = oldGrace;
  return m;
}

/** The update rules of a pod's spec (metadata and the new spec itself are validated elsewhere). */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const spec: LooseObject = pod.spec ?? {};
  const before: LooseObject = old.spec ?? {};
  for (const list of ["containers", "initContainers"])
    if ((spec[list] ?? []).length !== (before[list] ?? []).length)
      return [forbidden(`spec.${list}`, "pod updates may not add or remove containers")];
  const errs = [
    ...activeDeadlineErrors(spec, before),
    ...tolerationErrors(spec.tolerations, before.tolerations),
    ...schedulingGateErrors(spec.schedulingGates, before.schedulingGates),
  ];
  if (!sameJson(spec, before) && !sameJson(munged(spec, before), before))
    errs.push(forbidden("spec", POD_UPDATE_FORBIDDEN));
  return errs;
}
