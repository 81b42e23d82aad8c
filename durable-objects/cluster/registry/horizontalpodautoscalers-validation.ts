// ValidateHorizontalPodAutoscalerSpec (upstream pkg/apis/autoscaling/validation): replica
// bounds, the target reference, metric sources and targets, and behavior rules and policies.
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { isPathSegmentName } from "../../../kube/names.ts";
import { quantityNanos } from "./pod-resources.ts";
import type { LooseObject } from "../../../kube/types.ts";

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const METRIC_SOURCE_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"];
const SOURCE_FIELD: Record<string, string> = {
  Object: "object",
  Pods: "pods",
  Resource: "resource",
  External: "external",
  ContainerResource: "containerResource",
};
const SELECT_POLICIES = ["Disabled", "Max", "Min"];
const POLICY_TYPES = ["Percent", "Pods"];
const CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);

function crossVersionReference(ref: LooseObject | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const part of ["kind", "name"] as const) {
    const value = ref?.[part];
    if (!value) errs.push(required(`${field}.${part}`));
    else for (const msg of isPathSegmentName(String(value))) errs.push(invalid(`${field}.${part}`, value, msg));
  }
  return errs;
}

const positive = (q: unknown) => {
  const n = typeof q === "string" || typeof q === "number" ? quantityNanos(q) : undefined;
  return n !== undefined && n > 0n;
};

/** validateMetricTarget. */
function metricTarget(t: LooseObject | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type;
  if (!type) errs.push(required(`${field}.type`, "must specify a metric target type"));
  if (type !== "Utilization" && type !== "Value" && type !== "AverageValue")
    errs.push(invalid(`${field}.type`, type ?? "", "must be either Utilization, Value, or AverageValue"));
  if (t?.value !== undefined && !positive(t.value)) errs.push(invalid(`${field}.value`, t.value, "must be positive"));
  if (t?.averageValue !== undefined && !positive(t.averageValue))
    errs.push(invalid(`${field}.averageValue`, t.averageValue, "must be positive"));
  if (t?.averageUtilization !== undefined && !(t.averageUtilization >= 1))
    errs.push(invalid(`${field}.averageUtilization`, t.averageUtilization, "must be greater than 0"));
  return errs;
}

/** validateResourceSource (and the container variant, which also names a container). */
function resourceSource(src: LooseObject, field: string, container: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!src.name) errs.push(required(`${field}.name`, "must specify a resource name"));
  else if (!String(src.name).includes("/") && !CONTAINER_RESOURCES.has(src.name) && !src.name.startsWith("hugepages-"))
    errs.push(invalid(`${field}.name`, src.name, "must be a standard resource for containers"));
  if (container && !src.container) errs.push(required(`${field}.container`, "must specify a container"));
  errs.push(...metricTarget(src.target, `${field}.target`));
  const t = src.target ?? {};
  if (t.averageUtilization === undefined && t.averageValue === undefined)
    errs.push(
      required(`${field}.target.averageUtilization`, "must set either a target raw value or a target utilization"),
    );
  if (t.averageUtilization !== undefined && t.averageValue !== undefined)
    errs.push(
      forbidden(`${field}.target.averageValue`, "may not set both a target raw value and a target utilization"),
    );
  return errs;
}

/** validateMetricSpec: the type names exactly one populated source. */
function metricSpec(spec: LooseObject, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.type) errs.push(required(`${field}.type`, "must specify a metric source type"));
  const present = Object.values(SOURCE_FIELD).filter((f) => spec[f] !== undefined && spec[f] !== null);
  if (present.length === 1 && (present[0] === "resource" || present[0] === "containerResource"))
    errs.push(...resourceSource(spec[present[0]], `${field}.${present[0]}`, present[0] === "containerResource"));
  const expected = SOURCE_FIELD[spec.type];
  if (!expected) errs.push(notSupported(`${field}.type`, spec.type ?? "", METRIC_SOURCE_TYPES));
  else if (!present.includes(expected))
    errs.push(required(`${field}.${expected}`, "must populate information for the given metric source"));
  if (present.length !== 1)
    for (const f of present.filter((p) => p !== expected))
      errs.push(forbidden(`${field}.${f}`, "must populate the given metric source only"));
  return errs;
}

function scalingPolicy(p: LooseObject, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!POLICY_TYPES.includes(p.type)) errs.push(notSupported(`${field}.type`, p.type ?? "", POLICY_TYPES));
  if (!(p.value > 0)) errs.push(invalid(`${field}.value`, p.value ?? 0, "must be greater than zero"));
  if (!(p.periodSeconds > 0))
    errs.push(invalid(`${field}.periodSeconds`, p.periodSeconds ?? 0, "must be greater than zero"));
  if (p.periodSeconds > MAX_PERIOD_SECONDS)
    errs.push(
      invalid(`${field}.periodSeconds`, p.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`),
    );
  return errs;
}

function scalingRules(rules: LooseObject | undefined, field: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (window !== undefined && window < 0)
    errs.push(invalid(`${field}.stabilizationWindowSeconds`, window, "must be greater than or equal to zero"));
  if (window > MAX_STABILIZATION_WINDOW_SECONDS)
    errs.push(
      invalid(
        `${field}.stabilizationWindowSeconds`,
        window,
        `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`,
      ),
    );
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy))
    errs.push(notSupported(`${field}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  const policies: LooseObject[] = rules.policies ?? [];
  if (policies.length === 0) errs.push(required(`${field}.policies`, "must specify at least one Policy"));
  for (const [i, p] of policies.entries()) errs.push(...scalingPolicy(p, `${field}.policies[${i}]`));
  return errs;
}

/** ValidateHorizontalPodAutoscalerSpec at spec (the lower bound for minReplicas is 1 without HPAScaleToZero). */
export function validateHpaSpec(spec: LooseObject): FieldError[] {
  const errs: FieldError[] = [];
  const { minReplicas, maxReplicas } = spec;
  if (minReplicas !== undefined && minReplicas < 1)
    errs.push(invalid("spec.minReplicas", minReplicas, "must be greater than or equal to 1"));
  if (!(maxReplicas >= 1)) errs.push(invalid("spec.maxReplicas", maxReplicas ?? 0, "must be greater than 0"));
  if (minReplicas !== undefined && maxReplicas < minReplicas)
    errs.push(invalid("spec.maxReplicas", maxReplicas, "must be greater than or equal to `minReplicas`"));
  const refErrs = crossVersionReference(spec.scaleTargetRef, "spec.scaleTargetRef");
  if (refErrs.length) errs.push(...refErrs);
  else
    for (const [i, m] of ((spec.metrics ?? []) as LooseObject[]).entries())
      errs.push(...metricSpec(m ?? {}, `spec.metrics[${i}]`));
  if (spec.behavior) {
    errs.push(...scalingRules(spec.behavior.scaleUp, "spec.behavior.scaleUp"));
    errs.push(...scalingRules(spec.behavior.scaleDown, "spec.behavior.scaleDown"));
  }
  return errs;
}
