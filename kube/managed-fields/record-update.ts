// Ownership after an ordinary write (create, update, patch): the fields a request set or
// changed move to its manager; fields it removed leave every manager.
import { jsonEqual } from "../patch/json-values.ts";
import { patchSchemaForKind } from "../patch/merge-keys.ts";
import type { KubeObject } from "../types.ts";
import { FieldSet, isItemKey } from "./field-set.ts";
import { type ManagedFieldsEntry, readEntries, timeNow, writeEntries } from "./entries.ts";
import { fieldValuesOf } from "./fields-of.ts";

type Json = Record<string, unknown>;

export interface UpdateOptions {
  manager: string;
  apiVersion: string;
  now: number;
  /** "status" for writes through the status subresource. */
  subresource?: string;
}

/**
 * The managedFields for `next` after a write from `old` (undefined on create). When the
 * request itself changed managedFields (as kubectl does when it migrates an object to
 * server-side apply), its value is kept as sent.
 */
export function recordUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  opts: UpdateOptions,
): unknown[] | undefined {
  if (
    old &&
    next.metadata.managedFields !== undefined &&
    !jsonEqual(next.metadata.managedFields, old.metadata.managedFields)
  )
    return next.metadata.managedFields;
  const schema = patchSchemaForKind(next.kind);
  const part = opts.subresource === "status" ? "status" : "main";
  const was = old ? fieldValuesOf(old as Json, schema, part) : new Map<string, unknown>();
  const is = fieldValuesOf(next as Json, schema, part);
  const changed = FieldSet.ofKeys(
    [...is.keys()].filter((k) => !was.has(k) || (!isItemKey(k) && !jsonEqual(was.get(k), is.get(k)))),
  );
  const removed = FieldSet.ofKeys([...was.keys()].filter((k) => !is.has(k)));
  const entries = readEntries(old?.metadata.managedFields);
  const isMine = (e: ManagedFieldsEntry) =>
    e.manager === opts.manager && e.operation === "Update" && (e.subresource ?? "") === (opts.subresource ?? "");
  if (changed.size === 0 && removed.size === 0) return old?.metadata.managedFields;
  const updated = entries.map((e) =>
    isMine(e) ? e : { ...e, fields: e.fields.difference(changed).difference(removed) },
  );
  const mine = entries.find(isMine);
  const fields = (mine?.fields ?? new FieldSet()).union(changed).difference(removed);
  const entry: ManagedFieldsEntry = {
    manager: opts.manager,
    operation: "Update",
    apiVersion: opts.apiVersion,
    time: timeNow(opts.now),
    fields,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  const result = mine ? updated.map((e) => (isMine(e) ? entry : e)) : [...updated, entry];
  const written = writeEntries(result);
  return written.length > 0 ? written : undefined;
}
