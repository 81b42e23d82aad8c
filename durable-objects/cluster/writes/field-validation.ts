// Server-side field validation (the `fieldValidation` query parameter), as the apiserver's
// strict decoding does it: unknown fields (not in the kind's schema) and duplicate JSON keys are
// rejected (Strict), reported as warnings (Warn, also the default) or dropped silently (Ignore).
// In every mode but Strict the unknown fields are pruned, as decoding into a typed object does.
import { notSupported, invalid as invalidField } from "../../../kube/field-errors.ts";
import { findDuplicateFields } from "../../../kube/schema/duplicates.ts";
import { ref } from "../../../kube/schema/dsl.ts";
import { definitions, objectDefinition } from "../../../kube/schema/registry.ts";
import { findUnknownFields } from "../../../kube/schema/unknown-fields.ts";
import { typedWalk } from "../../../kube/schema/typed-walk.ts";
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

/** `Deployment in version "v1" cannot be handled as a Deployment: <error>` */
function decodeError(defName: string, error: string) {
  const gvk = objectDefinition(defName)?.gvk?.[0];
  const kind = gvk?.kind ?? defName.split(".").at(-1) ?? "";
  const version = gvk?.version ?? defName.split(".").at(-2) ?? "";
  return badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${error}`);
}

export interface CheckOptions {
  /**
   * For patches: `obj` is the patched object and `rawText` the patch. A failure is then
   * upstream's 422 on the field "patch" carrying the patched object, instead of a 400.
   */
  patch?: boolean;
  /**
   * The object a patch applied to: a type error it already held (stored before typed decoding,
   * e.g. by an older version) is not the patch's fault and does not refuse it.
   */
  original?: unknown;
  /** The kind's own unknown-field walk (custom resources): replaces the typed walk of `defName`. */
  unknownFields?: (obj: unknown, prune: boolean) => string[];
}

/** Upstream's 422 for a patched object that does not decode: `patch: Invalid value: "<object>": <error>`. */
export function patchDecodeError(obj: unknown, error: string) {
  return invalid("", "", "", [invalidField("patch", JSON.stringify(obj), error)]);
}

function inheritedTypeError(defName: string, original: unknown): string | undefined {
  if (original === undefined) return undefined;
  return typedWalk(definitions, ref(defName), structuredClone(original)).typeError;
}

/**
 * Decodes a request object against its schema in place, as upstream's typed decoding does: a value
 * of the wrong JSON type is always an error (a 400, or a 422 for patches); then the fieldValidation
 * mode applies to unknown fields and duplicate keys. Strict throws with upstream's message; Warn
 * ("" too, upstream's default) returns one warning per problem for the caller to send as
 * `Warning: 299 - "<text>"` headers (see warningHeaderValue); Warn and Ignore prune the unknown
 * fields from `obj`.
 */
export function checkFields(
  mode: FieldValidationMode,
  defName: string,
  obj: unknown,
  rawText: string,
  opts: CheckOptions = {},
): { warnings: string[] } {
  const strict = mode === "Strict";
  const known = Object.hasOwn(definitions, defName);
  const walked = opts.unknownFields
    ? { unknown: opts.unknownFields(obj, !strict), typeError: undefined }
    : known
      ? typedWalk(definitions, ref(defName), obj, { prune: !strict })
      : { unknown: [] };
  if (walked.typeError !== undefined && walked.typeError !== inheritedTypeError(defName, opts.original))
    throw opts.patch ? patchDecodeError(obj, walked.typeError) : decodeError(defName, walked.typeError);
  if (mode === "Ignore") return { warnings: [] };
  const errors = [
    ...findDuplicateFields(rawText).map((p) => `duplicate field "${p}"`),
    ...walked.unknown.map((p) => `unknown field "${p}"`),
  ];
  if (!strict || errors.length === 0) return { warnings: errors };
  const message = `strict decoding error: ${errors.join(", ")}`;
  throw opts.patch ? patchDecodeError(obj, message) : decodeError(defName, message);
}

/** Upstream's warning recorder limits: past 4,096 characters in all, each text is cut to 256. */
const WARNINGS_TOTAL = 4096;
const WARNING_ITEM = 256;

/** The value of one `Warning` header: code 299, no agent, the text quoted as RFC 7234 asks. */
export function warningHeaderValue(text: string): string {
  // Outside ASCII the runtime writes the text as UTF-8, as Go does.
  return `299 - "${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The `Warning` header values for a request's warnings, as upstream's recorder writes them: each
 * text once, none with control characters (upstream drops those rather than send a broken header),
 * and, once they pass 4,096 characters in all, each cut to 256. Computed before a write commits,
 * so a warning can never turn a stored write into an error.
 */
export function warningHeaders(texts: readonly string[]): string[] {
  const unique = [...new Set(texts)].filter((t) => t.length > 0 && !/[\p{Cc}\p{Cs}]/u.test(t));
  const total = unique.reduce((n, t) => n + [...t].length, 0);
  const cut = total > WARNINGS_TOTAL ? unique.map((t) => [...t].slice(0, WARNING_ITEM).join("")) : unique;
  let written = 0;
  const out: string[] = [];
  for (const t of cut) {
    written += [...t].length;
    if (total > WARNINGS_TOTAL && written > WARNINGS_TOTAL) break;
    out.push(warningHeaderValue(t));
  }
  return out;
}
