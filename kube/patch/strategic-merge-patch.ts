// Strategic merge patch (`application/strategic-merge-patch+json`), the patch kubectl sends for
// `apply`, `edit`, `patch` and `scale` on built-in kinds: upstream's strategicpatch.mergeMap with
// MergeParallelList and IgnoreUnmatchedNulls, as the API server runs it. Per-field strategy and
// merge keys come from merge-keys.ts.
//
// Where upstream copies a patch value into the result unprocessed (a field missing from the
// original), typed decoding later drops any directive keys left in it; we have no typed decoding,
// so such values are cleaned here instead: directive keys and `$patch` elements are removed.
// Deleting from a primitive list the object does not have is a no-op (upstream would store the
// deletion list itself as the field's value).
import { badRequest } from "../status.ts";
import { cloneJson, getOwn, goFormat, goJsonKind, isObject, type JsonObject, setOwn } from "./json-values.ts";
import { elementKind, indexIn, isDeleteElement, orderMergedList, requireMergeKey } from "./list-order.ts";
import { type FieldPatchMeta, fieldPatchMeta, type PatchSchema, patchSchemaForKind } from "./merge-keys.ts";
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  smpFailure,
} from "./smp-errors.ts";

const directiveMarker = "$patch";
const retainKeysDirective = "$retainKeys";
const deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
const setElementOrderPrefix = "$setElementOrder";

/** The field a parallel-list directive key ("$setElementOrder/containers") refers to. */
function directiveField(key: string, prefix: string, badFormat: () => Error): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badFormat();
  return key.slice(slash + 1);
}

/** A patch value with nothing to merge into, cleaned of directives (see the header). */
function fresh(value: unknown, meta: FieldPatchMeta): unknown {
  if (isObject(value)) return meta.strategy === "replace" ? stripDirectives(value) : mergeMap({}, value, meta.fields);
  if (Array.isArray(value))
    return value
      .filter((v) => !(isObject(v) && Object.hasOwn(v, directiveMarker)))
      .map((v) => (isObject(v) ? mergeMap({}, v, meta.fields) : v));
  return value;
}

function stripDirectives(value: JsonObject): JsonObject {
  const { [directiveMarker]: _, ...rest } = value;
  return mergeMap({}, rest, undefined);
}

/** `$patch` on a map: "replace" takes the patch as the whole value, "delete" empties it. */
function mapDirective(patch: JsonObject, schema: PatchSchema | undefined): JsonObject {
  const directive = patch[directiveMarker];
  if (directive === "replace") {
    const { [directiveMarker]: _, ...rest } = patch;
    return mergeMap({}, rest, schema);
  }
  if (directive === "delete") return {};
  throw errBadPatchType(directive, patch);
}

/** `$retainKeys`: drop every original field the list does not name; the patch may set only those. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const list = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** Merge keys of the patch list must appear in the $setElementOrder list in the same relative order. */
function checkSetOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey !== "") {
    for (const v of patchList) if (!isObject(v)) throw errBadArgType("map", v);
    items = patchList.filter((v) => !isDeleteElement(v));
  }
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && Object.hasOwn(items[p] as JsonObject, directiveMarker)) {
      p++;
      continue;
    }
    if (mergeKey !== "") requireMergeKey([items[p], order[o]], mergeKey);
    if (indexIn([order[o]], items[p], mergeKey) === 0) p++;
    o++;
  }
  if (p < items.length)
    throw smpFailure(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goFormat(order)}\n`,
    );
}

/** `$setElementOrder/<field>`: merge that field now and put its elements in the given order. */
function applySetElementOrders(original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType("list", order);
    const field = directiveField(key, setElementOrderPrefix, errBadPatchFormatForSetElementOrderList);
    const origList = getOwn(original, field);
    const patchList = getOwn(patch, field);
    if (origList !== undefined && !Array.isArray(origList)) throw errBadArgType("list", origList);
    if (patchList !== undefined && !Array.isArray(patchList)) throw errBadArgType("list", patchList);
    if (origList === undefined && patchList === undefined) continue;
    const meta = fieldPatchMeta(schema, field);
    const kind = elementKind(origList ?? [], patchList ?? []);
    const mergeKey = kind === "map" ? (meta.mergeKey ?? "") : "";
    checkSetOrder(patchList ?? [], order, mergeKey);
    let merged: unknown[];
    if (patchList === undefined) merged = origList as unknown[];
    else if (origList === undefined) merged = fresh(patchList, meta) as unknown[];
    else merged = mergeListField(origList, patchList, meta);
    // Objects without a known merge key cannot be matched to the order list: keep the merge result.
    const ordered =
      kind === "map" && mergeKey === "" ? merged : orderMergedList(merged, order, origList ?? [], mergeKey);
    setOwn(original, field, ordered);
    delete patch[field];
  }
}

/** `$deleteFromPrimitiveList/<field>`: remove these values from a list of primitives. */
function deleteFromList(original: JsonObject, field: string, values: unknown): void {
  if (values === null) {
    delete original[field]; // upstream treats the null like any null: the field goes
    return;
  }
  if (!Array.isArray(values)) throw errBadPatchFormatForPrimitiveList();
  const current = getOwn(original, field);
  if (Array.isArray(current))
    setOwn(
      original,
      field,
      current.filter((v) => !values.includes(v)),
    );
}

/** A list field present on both sides: merge lists merge, all others are replaced. */
function mergeListField(original: unknown[], patch: unknown[], meta: FieldPatchMeta): unknown[] {
  return meta.strategy === "merge" ? mergeList(original, patch, meta) : (fresh(patch, meta) as unknown[]);
}

function mergeList(original: unknown[], patch: unknown[], meta: FieldPatchMeta): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  if (kind !== "map") {
    const merged = [...new Set([...original, ...patch])];
    return orderMergedList(merged, patch, original, "");
  }
  const mergeKey = meta.mergeKey;
  if (!mergeKey) throw smpFailure("cannot merge lists without merge key for type struct");
  const special = applyListDirectives(original, patch, mergeKey, meta);
  const merged = [...special.original];
  for (const item of special.patch as JsonObject[]) {
    if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const i = merged.findIndex((o) => isObject(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === item[mergeKey]);
    if (i >= 0) merged[i] = mergeMap(merged[i] as JsonObject, item, meta.fields);
    else merged.push(mergeMap({}, item, meta.fields));
  }
  return orderMergedList(merged, special.patch, special.original, mergeKey);
}

/**
 * Elements carrying `$patch`: "delete" removes every original element with that merge key,
 * "replace" makes the rest of the patch list the whole result; "merge" is refused as upstream.
 */
function applyListDirectives(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  meta: FieldPatchMeta,
): { original: unknown[]; patch: unknown[] } {
  const plain: JsonObject[] = [];
  let replace = false;
  for (const v of patch as JsonObject[]) {
    if (!Object.hasOwn(v, directiveMarker)) {
      plain.push(v);
      continue;
    }
    const directive = v[directiveMarker];
    if (directive === "delete") {
      if (!Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
      original = original.filter((o) => !(isObject(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === v[mergeKey]));
    } else if (directive === "replace") {
      replace = true;
    } else if (directive === "merge") {
      throw smpFailure("merging lists cannot yet be specified in the patch");
    } else {
      throw errBadPatchType(directive, v);
    }
  }
  if (replace) return { original: plain.map((v) => mergeMap({}, v, meta.fields)), patch: [] };
  return { original, patch: plain };
}

/** Merges `patch` into `original` (both private copies, changed in place) and returns the result. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: PatchSchema | undefined): JsonObject {
  if (Object.hasOwn(patch, directiveMarker)) return mapDirective(patch, schema);
  applyRetainKeys(original, patch);
  applySetElementOrders(original, patch, schema);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(deleteFromPrimitiveListPrefix)) {
      deleteFromList(
        original,
        directiveField(key, deleteFromPrimitiveListPrefix, errBadPatchFormatForPrimitiveList),
        value,
      );
      continue;
    }
    if (key.startsWith("$")) continue; // unknown directives: typed decoding would drop them upstream
    if (value === null) {
      delete original[key];
      continue;
    }
    const meta = fieldPatchMeta(schema, key);
    const current = getOwn(original, key);
    let merged: unknown;
    if (isObject(current) && isObject(value))
      merged = meta.strategy === "replace" ? fresh(value, meta) : mergeMap(current, value, meta.fields);
    else if (Array.isArray(current) && Array.isArray(value)) merged = mergeListField(current, value, meta);
    else merged = fresh(value, meta);
    setOwn(original, key, merged);
  }
  return original;
}

/** Applies a strategic merge patch with an explicit schema; inputs are not changed. */
export function applyStrategicMergePatchWithSchema(original: unknown, patch: unknown, schema: PatchSchema): unknown {
  if (patch === null) return cloneJson(original);
  if (!isObject(patch))
    throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  return mergeMap(isObject(original) ? cloneJson(original) : {}, cloneJson(patch), schema);
}

/**
 * Applies a strategic merge patch to an object of the given Kind ("Pod", "Deployment", ...) and
 * returns the result; inputs are not changed. Throws StatusErrors with upstream's codes and texts.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, kind: string): unknown {
  return applyStrategicMergePatchWithSchema(original, patch, patchSchemaForKind(kind));
}
