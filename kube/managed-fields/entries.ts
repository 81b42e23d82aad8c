// metadata.managedFields entries: read from and written to their JSON form, and checked, since
// a malformed entry makes kubectl fail when it reads the object.
import { type FieldError, invalid, notSupported, required } from "../field-errors.ts";
import { FieldSet, MAX_FIELDS_DEPTH } from "./field-set.ts";

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

type Raw = Record<string, unknown>;

/** RFC 3339 in whole seconds, as metav1.Time. */
export function timeNow(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function readEntries(raw: unknown): ManagedFieldsEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((e): e is Raw => typeof e === "object" && e !== null)
    .map((e) => ({
      manager: String(e.manager ?? ""),
      operation: e.operation === "Apply" ? "Apply" : "Update",
      apiVersion: String(e.apiVersion ?? ""),
      time: String(e.time ?? ""),
      ...(typeof e.subresource === "string" && e.subresource ? { subresource: e.subresource } : {}),
      fields: FieldSet.fromFieldsV1(e.fieldsV1),
    }));
}

/** The JSON form; entries that own nothing are dropped, as upstream drops them. */
export function writeEntries(entries: readonly ManagedFieldsEntry[]): Raw[] {
  return entries
    .filter((e) => e.fields.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: "FieldsV1",
      fieldsV1: e.fields.toFieldsV1(),
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
}

/** A tree of objects only, at most MAX_FIELDS_DEPTH deep; checked without recursion. */
function validFieldsV1(v: unknown): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
    if (depth > MAX_FIELDS_DEPTH) return false;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return true;
}

/** Upstream's checks on client-supplied managedFields. */
export function validateManagedFields(raw: unknown): FieldError[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return [invalid("metadata.managedFields", raw, "must be a list")];
  const errs: FieldError[] = [];
  raw.forEach((e: Raw, i) => {
    const at = `metadata.managedFields[${i}]`;
    if (typeof e !== "object" || e === null) {
      errs.push(invalid(at, e, "must be an object"));
      return;
    }
    if (e.operation !== "Apply" && e.operation !== "Update")
      errs.push(notSupported(`${at}.operation`, e.operation ?? "", ["Apply", "Update"]));
    if (e.fieldsType !== "FieldsV1") errs.push(notSupported(`${at}.fieldsType`, e.fieldsType ?? "", ["FieldsV1"]));
    if (e.fieldsV1 !== undefined && !validFieldsV1(e.fieldsV1))
      errs.push(invalid(`${at}.fieldsV1`, "", `must be a FieldsV1 object at most ${MAX_FIELDS_DEPTH} levels deep`));
    if (typeof e.manager !== "string") errs.push(required(`${at}.manager`));
  });
  return errs;
}
