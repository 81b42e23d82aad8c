// Validation shared by the workload kinds: label selectors (metav1 ValidateLabelSelector), the
// selector-matches-template rule, non-negative counts and int-or-percent fields (apps validation).
import { type FieldError, forbidden, invalid, notSupported, required } from "../../../kube/field-errors.ts";
import { matchesLabels, requirementsFromLabelSelector } from "../../../kube/labels.ts";
import { isQualifiedName, isValidLabelValue } from "../../../kube/names.ts";
import type { LabelSelector } from "../../../kube/types.ts";
import { validateLabels } from "./meta.ts";
import { validatePodTemplate } from "./pod-spec.ts";

export const SELECTOR_MISMATCH = "`selector` does not match template `labels`";

/** ValidateNonnegativeField, for optional numbers. */
export function nonNegative(value: unknown, field: string): FieldError[] {
  if (typeof value !== "number") return [];
  return value < 0 ? [invalid(field, value, "must be greater than or equal to 0")] : [];
}

/** metav1 validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: LabelSelector | undefined, field: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, `${field}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    if (expr.operator === "In" || expr.operator === "NotIn") {
      if (values.length === 0)
        errs.push(required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (expr.operator === "Exists" || expr.operator === "DoesNotExist") {
      if (values.length > 0)
        errs.push(forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else errs.push(invalid(`${at}.operator`, expr.operator, "not a valid selector operator"));
    for (const msg of isQualifiedName(expr.key ?? "")) errs.push(invalid(`${at}.key`, expr.key ?? "", msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(`${at}.values[${j}]`, v, msg));
    });
  });
  return errs;
}

const isEmptySelector = (sel: LabelSelector) =>
  Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;

/**
 * Whether a selector matches a label set, as LabelSelectorAsSelector(...).Matches does: a missing
 * selector matches nothing. Undefined when the selector cannot be converted (already an error).
 */
export function selectorMatches(
  sel: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean | undefined {
  try {
    return matchesLabels(requirementsFromLabelSelector(sel), labels ?? {});
  } catch {
    return undefined;
  }
}

export interface SelectorRules {
  /** The kind's word in "empty selector is invalid for <kind>"; undefined when empty selectors are allowed. */
  emptyWord?: string;
}

/**
 * The selector block of the apps kinds: required, valid, non-empty, and matching the template's
 * labels (a missing selector matches nothing, so it also reports the mismatch, as upstream does).
 */
export function validateWorkloadSelector(
  spec: { selector?: LabelSelector; template?: { metadata?: { labels?: Record<string, string> } } },
  rules: SelectorRules,
): FieldError[] {
  const sel = spec.selector;
  const errs: FieldError[] = [];
  if (!sel) errs.push(required("spec.selector"));
  else {
    errs.push(...validateLabelSelector(sel, "spec.selector"));
    if (rules.emptyWord && isEmptySelector(sel))
      errs.push(invalid("spec.selector", sel, `empty selector is invalid for ${rules.emptyWord}`));
  }
  const labels = spec.template?.metadata?.labels;
  // An empty (non-nil) selector selects everything upstream and is reported above instead.
  if (sel && isEmptySelector(sel)) return errs;
  if (selectorMatches(sel, labels) === false)
    errs.push(invalid("spec.template.metadata.labels", labels ?? {}, SELECTOR_MISMATCH));
  return errs;
}

type IntOrString = number | string | undefined | null;

const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent. */
export function intOrPercentErrors(value: IntOrString, field: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return PERCENT_RE.test(value) ? [] : [invalid(field, value, PERCENT_MSG)];
  return nonNegative(value, field);
}

/** getIntOrPercentValue: the number, or the percentage's number. */
export function intOrPercentValue(value: IntOrString): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value ?? "");
  return m ? Number(m[1]) : 0;
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(value: IntOrString, field: string): FieldError[] {
  if (typeof value !== "string" || !PERCENT_RE.test(value)) return [];
  return intOrPercentValue(value) > 100 ? [invalid(field, value, "must not be greater than 100%")] : [];
}

/** ValidatePodTemplateSpecForReplicaSet & co: apps templates must restart Always, with no deadline. */
export function appsTemplateRules(
  template: { spec?: { restartPolicy?: string; activeDeadlineSeconds?: number } } | undefined,
  kindWord: string,
): FieldError[] {
  const spec = template?.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.restartPolicy !== "Always")
    errs.push(notSupported("spec.template.spec.restartPolicy", spec.restartPolicy ?? "", ["Always"]));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null)
    errs.push(
      invalid(
        "spec.template.spec.activeDeadlineSeconds",
        spec.activeDeadlineSeconds,
        `activeDeadlineSeconds in ${kindWord} is not Supported`,
      ),
    );
  return errs;
}

/**
 * The selector and template of an apps kind, in upstream's order: replicas, the selector block,
 * the template (ValidatePodTemplateSpec), then the apps-only template rules.
 */
export function validateAppsSpec(
  // biome-ignore lint/suspicious/noExplicitAny: workload specs are plain JSON from the client
  spec: Record<string, any> | undefined,
  words: { empty: string; template: string },
): FieldError[] {
  const s = spec ?? {};
  return [
    ...nonNegative(s.replicas, "spec.replicas"),
    ...validateWorkloadSelector(s, { emptyWord: words.empty }),
    ...validatePodTemplate(s.template, "spec.template"),
    ...appsTemplateRules(s.template, words.template),
  ];
}
