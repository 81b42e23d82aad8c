// Server-side apply (structured-merge-diff's semantics over our merge-key table): merge an
// applied configuration into the live object, refuse to silently take fields another manager
// owns with a different value (409 unless forced), remove fields the applier stopped sending
// that nobody else owns, and record who owns what in metadata.managedFields.
import { jsonEqual } from "../patch/json-values.ts";
import { fieldPatchMeta, type PatchSchema, patchSchemaForKind } from "../patch/merge-keys.ts";
import { StatusError } from "../status.ts";
import type { KubeObject } from "../types.ts";
import { type FieldPath, FieldSet, formatPath } from "./field-set.ts";
import { fieldSetOf, locate, removeAt } from "./fields-of.ts";
import { type ManagedFieldsEntry, readEntries, timeNow, writeEntries } from "./entries.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ApplyOptions {
  manager: string;
  force: boolean;
  apiVersion: string;
  now: number;
}

/** Merges an applied value into a live one: maps by key, keyed lists by item, sets by member, the rest replaced. */
function merge(live: unknown, applied: unknown, schema: PatchSchema | undefined): unknown {
  if (!isObject(live) || !isObject(applied)) return structuredClone(applied);
  const out: Json = { ...live };
  for (const [field, value] of Object.entries(applied)) {
    const meta = fieldPatchMeta(schema, field);
    const current = live[field];
    if (Array.isArray(value) && Array.isArray(current) && meta.mergeKey) {
      const key = meta.mergeKey;
      const merged = current.map((item) => {
        const match = isObject(item) ? value.find((a) => isObject(a) && a[key] === item[key]) : undefined;
        return match === undefined ? item : merge(item, match, meta.fields);
      });
      for (const a of value)
        if (!merged.some((m) => isObject(m) && isObject(a) && m[key] === a[key])) merged.push(structuredClone(a));
      out[field] = merged;
    } else if (Array.isArray(value) && Array.isArray(current) && meta.strategy === "merge") {
      out[field] = [...current, ...value.filter((v) => !current.some((c) => jsonEqual(c, v)))];
    } else out[field] = isObject(value) ? merge(current, value, meta.fields) : structuredClone(value);
  }
  return out;
}

function valueAt(obj: Json, path: FieldPath, schema: PatchSchema): unknown {
  return locate(obj, path, schema)?.value;
}

/**
 * How upstream names a manager in conflicts: Update managers with their apiVersion (the
 * manager identifier upstream prints carries no time).
 */
function describeManager(e: ManagedFieldsEntry): string {
  let text = JSON.stringify(e.manager);
  if (e.subresource) text += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") text += ` using ${e.apiVersion}`;
  return text;
}

interface Conflict {
  entry: ManagedFieldsEntry;
  path: FieldPath;
}

function conflictError(conflicts: Conflict[], name: string, kind: string): StatusError {
  const n = conflicts.length;
  let detail: string;
  if (n === 1) detail = `conflict with ${describeManager(conflicts[0].entry)}: ${formatPath(conflicts[0].path)}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const who = describeManager(c.entry);
      byManager.set(who, [...(byManager.get(who) ?? []), `- ${formatPath(c.path)}`]);
    }
    detail = [...byManager].flatMap(([who, paths]) => [`conflicts with ${who}:`, ...paths]).join("\n");
  }
  const causes = conflicts.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.entry)}`,
    field: formatPath(c.path),
  }));
  return new StatusError(409, "Conflict", `Apply failed with ${n} conflict${n === 1 ? "" : "s"}: ${detail}`, {
    name,
    kind,
    causes,
  });
}

/** Applies `config` to `live` (undefined on create) and returns the new object with its managedFields. */
export function applyConfiguration(live: KubeObject | undefined, config: KubeObject, opts: ApplyOptions): KubeObject {
  const schema = patchSchemaForKind(config.kind);
  const liveJson = (live ?? {}) as Json;
  const entries = readEntries(live?.metadata.managedFields);
  const applied = fieldSetOf(config as Json, schema);
  const isMine = (e: ManagedFieldsEntry) => e.manager === opts.manager && e.operation === "Apply";

  const conflicts: Conflict[] = [];
  for (const e of entries) {
    if (isMine(e)) continue;
    for (const path of applied.intersection(e.fields).paths()) {
      if (path.at(-1) === ".") continue;
      if (!jsonEqual(valueAt(liveJson, path, schema), valueAt(config as Json, path, schema)))
        conflicts.push({ entry: e, path });
    }
  }
  if (conflicts.length > 0 && !opts.force) throw conflictError(conflicts, config.metadata.name ?? "", config.kind);

  const taken = new FieldSet(conflicts.map((c) => c.path));
  const others = entries.filter((e) => !isMine(e)).map((e) => ({ ...e, fields: e.fields.difference(taken) }));
  const previousEntry = entries.find(isMine);
  const previous = previousEntry?.fields ?? new FieldSet();
  const ownedByOthers = others.reduce((acc, e) => acc.union(e.fields), new FieldSet());

  const next = merge(liveJson, config, schema) as KubeObject;
  next.metadata = { ...(live?.metadata ?? {}), ...(next.metadata ?? {}) };
  for (const path of previous.difference(applied).paths())
    if (!ownedByOthers.has(path)) removeAt(next as Json, path, schema);

  // An apply that owns the same fields as before keeps its time, so a repeated apply writes nothing.
  const sameFields = previous.size === applied.size && previous.difference(applied).size === 0;
  const keepTime = previousEntry !== undefined && sameFields && previousEntry.apiVersion === opts.apiVersion;
  const mine: ManagedFieldsEntry = {
    manager: opts.manager,
    operation: "Apply",
    apiVersion: opts.apiVersion,
    time: keepTime ? previousEntry.time : timeNow(opts.now),
    fields: applied,
  };
  // A re-apply keeps its entry's place, so applying the same config again changes nothing.
  const at = entries.findIndex(isMine);
  const ordered = at < 0 ? [...others, mine] : [...others.slice(0, at), mine, ...others.slice(at)];
  next.metadata.managedFields = writeEntries(ordered);
  return next;
}
