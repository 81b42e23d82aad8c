// scheduling.k8s.io/v1 PriorityClass: cluster-scoped, the reserved "system-" names with their
// fixed values, the user maximum of one billion, preemptionPolicy's default and the immutable
// value and policy (ValidatePriorityClass / ValidatePriorityClassUpdate), and printPriorityClass.
import { type FieldError, forbidden, notSupported, required } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import { immutable } from "./meta.ts";
import type { ResourceKind } from "./types.ts";

/** The store's resource key for priority classes. */
export const PRIORITY_CLASSES = "priorityclasses.scheduling.k8s.io";

/** scheduling.SystemPriorityClasses: served even when no object exists, as upstream bootstraps them. */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  "system-node-critical": 2000001000,
  "system-cluster-critical": 2000000000,
};

const HIGHEST_USER_DEFINABLE = 1000000000;
const SYSTEM_PREFIX = "system-";
const POLICIES = ["Never", "PreemptLowerPriority"];

/** IsKnownSystemPriorityClass's error text, or "" when the class is a known system one. */
function systemClassProblem(name: string, value: unknown, globalDefault: unknown): string {
  const expected = SYSTEM_PRIORITY_CLASSES[name];
  if (expected === undefined) return `${name} is not a known system priority class`;
  if (value !== expected) return `value of ${name} PriorityClass must be ${expected}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return "";
}

function validatePriorityClass(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = o.metadata.name ?? "";
  if (typeof o.value !== "number" || !Number.isInteger(o.value)) errs.push(required("value"));
  if (name.startsWith(SYSTEM_PREFIX)) {
    const problem = systemClassProblem(name, o.value, o.globalDefault);
    if (problem)
      errs.push(
        forbidden(
          "metadata.name",
          `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${problem}`,
        ),
      );
  } else if (typeof o.value === "number" && o.value > HIGHEST_USER_DEFINABLE)
    errs.push(forbidden("value", `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE}`));
  const policy = o.preemptionPolicy;
  if (typeof policy !== "string" || !POLICIES.includes(policy))
    errs.push(policy === undefined ? required("preemptionPolicy") : notSupported("preemptionPolicy", policy, POLICIES));
  return errs;
}

function validatePriorityClassUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (o.value !== old.value) errs.push(forbidden("value", "may not be changed in an update."));
  return [...errs, ...immutable("preemptionPolicy", o.preemptionPolicy, old.preemptionPolicy)];
}

export const priorityClasses: ResourceKind = {
  group: "scheduling.k8s.io",
  version: "v1",
  kind: "PriorityClass",
  plural: "priorityclasses",
  singular: "priorityclass",
  namespaced: false,
  shortNames: ["pc"],
  nameRule: "subdomain",
  columns: [
    column(
      "Value",
      "integer",
      "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.",
      (o) => o.value ?? 0,
    ),
    column(
      "Global-Default",
      "boolean",
      "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.",
      (o) => o.globalDefault === true,
    ),
    ageColumn,
    column(
      "PreemptionPolicy",
      "string",
      "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
      (o) => o.preemptionPolicy ?? "",
    ),
  ],
  defaults(o) {
    o.preemptionPolicy ??= "PreemptLowerPriority";
  },
  validate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,
};
