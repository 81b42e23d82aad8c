// field.ErrorList from k8s.io/apimachinery/pkg/util/validation/field, kept as data so the API
// layer can render upstream's 422 message: `<Kind> "<name>" is invalid: <field>: <Type>: <detail>`.

export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueNotFound"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany";

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The offending value, rendered into the message for Invalid/NotSupported/Duplicate. */
  value?: unknown;
  detail?: string;
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueRequired: "Required value",
  FieldValueNotFound: "Not found",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
};

export const required = (field: string, detail = ""): FieldError => ({ type: "FieldValueRequired", field, detail });
export const notFound = (field: string, value: unknown): FieldError => ({ type: "FieldValueNotFound", field, value });
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: "FieldValueInvalid",
  field,
  value,
  detail,
});
export const notSupported = (field: string, value: unknown, allowed: string[]): FieldError => ({
  type: "FieldValueNotSupported",
  field,
  value,
  detail: `supported values: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`,
});
export const duplicate = (field: string, value: unknown): FieldError => ({ type: "FieldValueDuplicate", field, value });
export const forbidden = (field: string, detail: string): FieldError => ({
  type: "FieldValueForbidden",
  field,
  detail,
});

/** A value shown as Go's %#v prints it where JSON cannot say it (`[]networking.IngressRule(nil)`). */
export class GoLiteral {
  constructor(readonly text: string) {}
}

function renderValue(value: unknown): string {
  if (value instanceof GoLiteral) return value.text;
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return "null";
  // Go's %#v of a []string, which upstream's field.Error falls back to for slices.
  if (Array.isArray(value) && value.every((v) => typeof v === "string"))
    return `[]string{${value.map((v) => JSON.stringify(v)).join(", ")}}`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Renders one error as upstream's field.Error.Error() does. */
export function fieldErrorText(e: FieldError): string {
  const head = `${e.field}: ${typeText[e.type]}`;
  const showsValue =
    e.type === "FieldValueInvalid" ||
    e.type === "FieldValueNotSupported" ||
    e.type === "FieldValueDuplicate" ||
    e.type === "FieldValueNotFound";
  const withValue = showsValue ? `${head}: ${renderValue(e.value)}` : head;
  return e.detail ? `${withValue}: ${e.detail}` : withValue;
}

/** Renders the aggregate as upstream does: one error alone, several in brackets. */
export function fieldErrorsText(errors: FieldError[]): string {
  const texts = errors.map(fieldErrorText);
  return texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`;
}
