// policy/v1 PodDisruptionBudget: ValidatePodDisruptionBudget (minAvailable xor maxUnavailable,
// each a non-negative int or a percent up to 100%, the selector, the unhealthy pod eviction
// policy), the strategy's empty status on create, and printPodDisruptionBudget's columns.
import { type FieldError, invalid, notSupported } from "../../../kube/field-errors.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { ageColumn, column } from "./columns.ts";
import type { ResourceKind } from "./types.ts";
import {
  intOrPercentErrors,
  nonNegative,
  notMoreThan100Percent,
  validateLabelSelector,
} from "./workload-validation.ts";

export const UNHEALTHY_POD_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"];

/** The status a new budget starts with (upstream's zero PodDisruptionBudgetStatus). */
export const emptyBudgetStatus = () => ({
  disruptionsAllowed: 0,
  currentHealthy: 0,
  desiredHealthy: 0,
  expectedPods: 0,
});

const present = (v: unknown) => v !== undefined && v !== null;

function intOrPercentField(value: unknown, field: string): FieldError[] {
  if (!present(value)) return [];
  if (typeof value !== "number" && typeof value !== "string")
    return [invalid(field, value, "must be an integer or percentage (e.g '5%')")];
  return [...intOrPercentErrors(value, field), ...notMoreThan100Percent(value, field)];
}

export function validateBudgetSpec(o: KubeObject): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  if (present(spec.minAvailable) && present(spec.maxUnavailable))
    errs.push(invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"));
  errs.push(...intOrPercentField(spec.minAvailable, "spec.minAvailable"));
  errs.push(...intOrPercentField(spec.maxUnavailable, "spec.maxUnavailable"));
  errs.push(...validateLabelSelector(spec.selector, "spec.selector"));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (present(policy) && !UNHEALTHY_POD_EVICTION_POLICIES.includes(String(policy)))
    errs.push(notSupported("spec.unhealthyPodEvictionPolicy", String(policy), UNHEALTHY_POD_EVICTION_POLICIES));
  return errs;
}

/** ValidatePodDisruptionBudgetStatus: the counts are never negative. */
function validateBudgetStatus(o: KubeObject): FieldError[] {
  const s = o.status ?? {};
  return ["disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"].flatMap((f) =>
    nonNegative(s[f], `status.${f}`),
  );
}

/** An int-or-string cell as IntOrString.String() prints it; N/A when unset. */
const intOrStringCell = (v: unknown) => (present(v) ? String(v) : "N/A");

export const podDisruptionBudgets: ResourceKind = {
  group: "policy",
  version: "v1",
  kind: "PodDisruptionBudget",
  plural: "poddisruptionbudgets",
  singular: "poddisruptionbudget",
  namespaced: true,
  shortNames: ["pdb"],
  nameRule: "subdomain",
  subresources: { status: true },
  tracksGeneration: true,
  columns: [
    column("Min Available", "string", "The minimum number of pods that must be available.", (o) =>
      intOrStringCell(o.spec?.minAvailable),
    ),
    column("Max Unavailable", "string", "The maximum number of pods that may be unavailable.", (o) =>
      intOrStringCell(o.spec?.maxUnavailable),
    ),
    column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time.", (o) =>
      Number(o.status?.disruptionsAllowed ?? 0),
    ),
    ageColumn,
  ],
  prepareForCreate(o) {
    o.status = emptyBudgetStatus();
  },
  validate: (o) => [...validateBudgetSpec(o), ...validateBudgetStatus(o)],
};
