// Field selectors as k8s.io/apimachinery/pkg/fields (selector.go): `fieldSelector=a=b,c!=d`.
// Values may escape `\`, `,` and `=` with a backslash; field names have no escaping. Which field
// names a kind supports is the kind's business (see fieldLabelNotSupported).
import { badRequest, type StatusError } from "./status.ts";

export type FieldOperator = "=" | "==" | "!=";

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  /** Unescaped. */
  value: string;
}

/** Splits on commas that are not escaped; escapes stay in the terms for unescapeValue. */
function splitTerms(text: string): string[] {
  if (text === "") return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

// "==" before "=", so that `a==b` does not leave "=b" as the value.
const termOperators: FieldOperator[] = ["!=", "==", "="];

/** The first operator found splits the term; the field part cannot escape anything. */
function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), operator: op, value: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.UnescapeValue; messages as upstream (an unescaped rune prints as its code point, as Go's %v does). */
export function unescapeFieldValue(s: string): string {
  let out = "";
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=")
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === "\\") {
      inSlash = true;
    } else if (c === "," || c === "=") {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest("invalid field selector: invalid escape sequence: \\");
  return out;
}

/** fields.EscapeValue. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * fields.ParseSelector. Terms come back sorted by their raw text, as upstream sorts them; empty
 * terms are skipped, so "" gives [] (matches everything). Bad input throws a 400.
 */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(text).sort()) {
    if (part === "") continue;
    const term = splitTerm(part);
    if (!term) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    reqs.push({ ...term, value: unescapeFieldValue(term.value) });
  }
  return reqs;
}

/** True when every requirement holds; an absent field reads as "", as upstream's Fields.Get. */
export function matchesFields(reqs: FieldRequirement[], lookup: (field: string) => string | undefined): boolean {
  return reqs.every((r) => ((lookup(r.field) ?? "") === r.value) === (r.operator !== "!="));
}

/** Selector.String(), with values escaped. */
export function fieldSelectorString(reqs: FieldRequirement[]): string {
  return reqs.map((r) => `${r.field}${r.operator === "!=" ? "!=" : "="}${escapeFieldValue(r.value)}`).join(",");
}

/**
 * The 400 for a field that a kind without its own field label conversion does not know
 * (runtime.DefaultMetaV1FieldSelectorConversion: only metadata.name and metadata.namespace).
 */
export function unknownFieldSelector(field: string): StatusError {
  return badRequest(
    `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
  );
}

/** The 400 from kinds with their own conversion func (core/v1 pods, nodes, events, ...). */
export function fieldLabelNotSupported(field: string): StatusError {
  return badRequest(`field label not supported: ${field}`);
}

/**
 * The error for the first requirement whose field is not in `supported` (undefined when all are),
 * built by `reject`: pass fieldLabelNotSupported for kinds that upstream converts themselves.
 */
export function checkFieldLabels(
  reqs: FieldRequirement[],
  supported: readonly string[],
  reject: (field: string) => StatusError = unknownFieldSelector,
): StatusError | undefined {
  const bad = reqs.find((r) => !supported.includes(r.field));
  return bad ? reject(bad.field) : undefined;
}
