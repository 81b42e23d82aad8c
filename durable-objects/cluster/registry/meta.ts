// Generic ObjectMeta validation for every kind (k8s.io/apimachinery/pkg/api/validation/objectmeta.go,
// plus the core group's extra finalizer rule from pkg/apis/core/validation), with upstream's field
// paths and messages, so the API layer can answer 422 exactly as kube-apiserver does.
import { type FieldError, duplicate, forbidden, invalid, required } from "../../../kube/field-errors.ts";
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
} from "../../../kube/names.ts";
import type { KubeObject, ObjectMeta, OwnerReference } from "../../../kube/types.ts";
import type { NameRule, ResourceKind } from "./types.ts";

export const FIELD_IMMUTABLE = "field is immutable";
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** field.TooLong as upstream renders it (the value is never shown). */
export function tooLong(field: string, maxBytes: number): FieldError {
  return { type: "FieldValueTooLong", field, detail: `must have at most ${maxBytes} bytes` };
}

/** apimachinery ValidateImmutableField: compares JSON values deeply. */
export function immutable(field: string, value: unknown, old: unknown): FieldError[] {
  return sameJson(value, old) ? [] : [invalid(field, value, FIELD_IMMUTABLE)];
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (v === undefined || v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Go's len() of a string: its UTF-8 byte count. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

// Upstream's name functions accept a prefix (generateName): a trailing dash is then allowed,
// because random characters follow it.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith("-") ? `${name.slice(0, -1)}a` : name;
}

/** The problems of a name (or, with prefix, a generateName) under a kind's rule. */
export function nameProblems(rule: NameRule, name: string, prefix = false): string[] {
  const value = prefix ? maskTrailingDash(name) : name;
  switch (rule) {
    case "label":
      return isDNS1123Label(value);
    case "subdomain":
      return isDNS1123Subdomain(value);
    case "path-segment":
      // The "." and ".." rule applies only to whole names, not to prefixes.
      return prefix ? isPathSegmentName(`x${name}`) : isPathSegmentName(name);
  }
}

/** metav1 validation.ValidateLabels: keys are qualified names, values label values. */
export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(field, k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(invalid(field, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // Upstream: a qualified name, except that case does not matter.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, msg));
    size += utf8Length(k) + utf8Length(String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

// schema.ParseGroupVersion: "v1" is the core group; more than one slash is invalid.
function versionOf(apiVersion: string): string {
  if (!apiVersion || apiVersion === "/") return "";
  const parts = apiVersion.split("/");
  if (parts.length === 1) return parts[0];
  return parts.length === 2 ? parts[1] : "";
}

function validateOwnerReference(ref: OwnerReference, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const version = versionOf(ref.apiVersion ?? "");
  if (!version) errs.push(invalid(`${field}.apiVersion`, ref.apiVersion ?? "", "version must not be empty"));
  if (!ref.kind) errs.push(invalid(`${field}.kind`, ref.kind ?? "", "must not be empty"));
  if (!ref.name) errs.push(invalid(`${field}.name`, ref.name ?? "", "must not be empty"));
  if (!ref.uid) errs.push(invalid(`${field}.uid`, ref.uid ?? "", "must not be empty"));
  if (ref.apiVersion === "v1" && ref.kind === "Event")
    errs.push(invalid(field, ref, "/v1, Kind=Event is disallowed from being an owner"));
  return errs;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = "";
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, field));
    if (ref.controller !== true) continue;
    const current = `${ref.kind}/${ref.name}`;
    if (!firstController) firstController = current;
    else
      errs.push(
        invalid(
          field,
          refs,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
        ),
      );
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) for (const msg of isQualifiedName(f)) errs.push(invalid(field, f, msg));
  const list = finalizers ?? [];
  if (list.includes("orphan") && list.includes("foregroundDeletion"))
    errs.push(invalid(field, list, "finalizer orphan and foregroundDeletion cannot be both set"));
  return errs;
}

const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

/** The core group also rejects unqualified finalizers that are not standard ones. */
export function kubeFinalizerErrors(name: string, field: string): FieldError[] {
  if (name.includes("/") || STANDARD_FINALIZERS.has(name)) return [];
  return [invalid(field, name, "name is neither a standard finalizer name nor is it fully qualified")];
}

function coreFinalizerErrors(meta: ObjectMeta, kind: ResourceKind): FieldError[] {
  if (kind.group !== "") return [];
  return (meta.finalizers ?? []).flatMap((f, i) => kubeFinalizerErrors(f, `metadata.finalizers[${i}]`));
}

/** What create and update validation share (validateObjectMetaAccessorWithOptsCommon). */
function validateCommon(meta: ObjectMeta): FieldError[] {
  return [
    ...validateLabels(meta.labels, "metadata.labels"),
    ...validateAnnotations(meta.annotations, "metadata.annotations"),
    ...validateOwnerReferences(meta.ownerReferences, "metadata.ownerReferences"),
    ...validateFinalizers(meta.finalizers, "metadata.finalizers"),
  ];
}

function validateNameFields(meta: ObjectMeta, rule: NameRule): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName)
    for (const msg of nameProblems(rule, meta.generateName, true))
      errs.push(invalid("metadata.generateName", meta.generateName, msg));
  // The API layer may call this before it generates a name, so generateName alone suffices.
  if (!meta.name) {
    if (!meta.generateName) errs.push(required("metadata.name", "name or generateName is required"));
  } else {
    for (const msg of nameProblems(rule, meta.name)) errs.push(invalid("metadata.name", meta.name, msg));
  }
  return errs;
}

function validateNamespaceField(meta: ObjectMeta, namespaced: boolean): FieldError[] {
  if (!namespaced)
    // The API layer clears a cluster-scoped object's namespace before this runs, as upstream does.
    return meta.namespace ? [forbidden("metadata.namespace", "not allowed on this type")] : [];
  if (!meta.namespace) return [required("metadata.namespace")];
  return isDNS1123Label(meta.namespace).map((msg) => invalid("metadata.namespace", meta.namespace, msg));
}

/** ValidateObjectMeta on create, with the kind's name rule and scope. */
export function validateObjectMeta(obj: KubeObject, kind: ResourceKind): FieldError[] {
  const meta = obj.metadata ?? {};
  const errs = [...validateNameFields(meta, kind.nameRule), ...validateNamespaceField(meta, kind.namespaced)];
  if (typeof meta.generation === "number" && meta.generation < 0)
    errs.push(invalid("metadata.generation", meta.generation, "must be greater than or equal to 0"));
  return [...errs, ...validateCommon(meta), ...coreFinalizerErrors(meta, kind)];
}

function noNewFinalizers(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  if (!old.deletionTimestamp) return [];
  const before = new Set(old.finalizers ?? []);
  const extra = [...new Set((meta.finalizers ?? []).filter((f) => !before.has(f)))].sort();
  if (extra.length === 0) return [];
  const list = `[]string{${extra.map((f) => JSON.stringify(f)).join(", ")}}`;
  return [
    forbidden(
      "metadata.finalizers",
      `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`,
    ),
  ];
}

const IMMUTABLE_META: (keyof ObjectMeta)[] = [
  "name",
  "namespace",
  "uid",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];

/**
 * The update-only part of ValidateObjectMetaUpdate: no new finalizers while deleting, no
 * generation decrement, immutable identity fields. Call it together with validateObjectMeta,
 * which covers what upstream re-checks on update (labels, annotations, owner references,
 * finalizers). The resourceVersion rule is left to the API layer (unconditional updates).
 */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const meta = obj.metadata ?? {};
  const before = old.metadata ?? {};
  const errs = noNewFinalizers(meta, before);
  if ((meta.generation ?? 0) < (before.generation ?? 0))
    errs.push(invalid("metadata.generation", meta.generation ?? 0, "must not be decremented"));
  for (const key of IMMUTABLE_META) errs.push(...immutable(`metadata.${key}`, meta[key], before[key]));
  return errs;
}

/**
 * rest.BeforeUpdate's metadata carry-over (run it before any generation bump): a client may omit uid and timestamps on update, and
 * may not move creationTimestamp, deletionTimestamp or the deletion grace period.
 */
export function prepareObjectMetaForUpdate(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  const before = old.metadata;
  meta.generation = before.generation;
  if (!meta.uid) meta.uid = before.uid;
  if (before.creationTimestamp) meta.creationTimestamp = before.creationTimestamp;
  if (before.deletionTimestamp) meta.deletionTimestamp = before.deletionTimestamp;
  if (before.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined)
    meta.deletionGracePeriodSeconds = before.deletionGracePeriodSeconds;
}

/** Duplicate-name detection for lists keyed by name (ports, ...). */
export function duplicateNames(names: string[], field: (i: number) => string): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  names.forEach((n, i) => {
    if (seen.has(n)) errs.push(duplicate(field(i), n));
    seen.add(n);
  });
  return errs;
}
