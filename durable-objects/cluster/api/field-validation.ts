// Server-side field validation (the `fieldValidation` query parameter), as the apiserver's
// strict decoding does it: unknown fields (not in the kind's schema) and duplicate JSON keys are
// rejected (Strict), reported as warnings (Warn, also the default) or dropped silently (Ignore).
// In every mode but Strict the unknown fields are pruned, as decoding into a typed object does.
import { notSupported, invalid as invalidField } from "../../../kube/field-errors.ts";
import { findDuplicateFields } from "../../../kube/schema/duplicates.ts";
import { ref } from "../../../kube/schema/dsl.ts";
import { definitions, objectDefinition } from "../../../kube/schema/registry.ts";
import { findUnknownFields } from "../../../kube/schema/unknown-fields.ts";
import { badRequest, invalid } from "../../../kube/status.ts";

export type FieldValidationMode = "Strict" | "Warn" | "Ignore" | "";

const MODES: readonly string[] = ["", "Ignore", "Strict", "Warn"];

/**
 * The `fieldValidation` query value, checked as upstream's ValidateFieldValidation does; `options`
 * names the request's options kind for the error (CreateOptions, UpdateOptions, PatchOptions).
 */
export function parseFieldValidation(value: string | null, options: string): FieldValidationMode {
  const v = value ?? "";
  if (MODES.includes(v)) return v as FieldValidationMode;
  throw invalid("meta.k8s.io", options, "", [notSupported("fieldValidation", v, [...MODES])]);
}

/** Paths of fields in `obj` that the named definition does not know, e.g. `spec.containers[0].imagee`. */
export function unknownFields(kindDefinitionName: string, obj: unknown): string[] {
  if (!Object.hasOwn(definitions, kindDefinitionName)) return [];
  return findUnknownFields(definitions, ref(kindDefinitionName), obj);
}

/** Paths of keys repeated within one JSON object of the raw request body, e.g. `metadata.name`. */
export function duplicateFields(rawJsonText: string): string[] {
  return findDuplicateFields(rawJsonText);
}

/** Upstream's strict decoding error texts, duplicates first, each as its own string. */
function strictErrors(defName: string, obj: unknown, rawText: string, prune: boolean): string[] {
  const dups = findDuplicateFields(rawText).map((p) => `duplicate field "${p}"`);
  const unknown = Object.hasOwn(definitions, defName)
    ? findUnknownFields(definitions, ref(defName), obj, prune).map((p) => `unknown field "${p}"`)
    : [];
  return [...dups, ...unknown];
}

/** `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: …` */
function decodeError(defName: string, errors: string[]) {
  const gvk = objectDefinition(defName)?.gvk?.[0];
  const kind = gvk?.kind ?? defName.split(".").at(-1) ?? "";
  const version = gvk?.version ?? defName.split(".").at(-2) ?? "";
  return badRequest(
    `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${errors.join(", ")}`,
  );
}

export interface CheckOptions {
  /**
   * For patches: `obj` is the patched object and `rawText` the patch. A Strict failure is then
   * upstream's 422 on the field "patch" carrying the patched object, instead of a 400.
   */
  patch?: boolean;
}

/**
 * Applies a fieldValidation mode to a decoded request object. Strict throws a StatusError with
 * upstream's message; Warn ("" too, upstream's default) returns one warning per problem for the
 * caller to send as `Warning: 299 - "<text>"` headers (see warningHeaderValue); Warn and Ignore
 * prune the unknown fields from `obj` in place.
 */
export function checkFields(
  mode: FieldValidationMode,
  defName: string,
  obj: unknown,
  rawText: string,
  opts: CheckOptions = {},
): { warnings: string[] } {
  if (mode === "Ignore") {
    if (Object.hasOwn(definitions, defName)) findUnknownFields(definitions, ref(defName), obj, true);
    return { warnings: [] };
  }
  const strict = mode === "Strict";
  const errors = strictErrors(defName, obj, rawText, !strict);
  if (!strict || errors.length === 0) return { warnings: errors };
  if (opts.patch)
    throw invalid("", "", "", [
      invalidField("patch", JSON.stringify(obj), `strict decoding error: ${errors.join(", ")}`),
    ]);
  throw decodeError(defName, errors);
}

/** The value of one `Warning` header: code 299, no agent, the text quoted as RFC 7234 asks. */
export function warningHeaderValue(text: string): string {
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
