// Element order of merged lists in strategic merge patch (upstream's normalizeElementOrder and
// friends): items named by the patch (or by $setElementOrder) keep the patch's order, items only
// the server has keep theirs, and the two are interleaved by their places in the live list.
// Items new to the list therefore come before the server-only items that follow them, as upstream.
import { goFormat, isObject, type JsonObject } from "./json-values.ts";
import { errBadArgType, errNoListOfLists, errNoMergeKey, smpFailure } from "./smp-errors.ts";

/** A merge key of "" means a list of primitives, compared by value. */
type MergeKey = string;

/** "map" for lists of objects, "scalar" otherwise; undefined when the lists hold no elements. */
export function elementKind(...lists: unknown[][]): "map" | "scalar" | undefined {
  let first: string | undefined;
  for (const list of lists)
    for (const v of list) {
      const t = v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
      if (first === undefined) {
        if (t === "array") throw errNoListOfLists();
        first = t;
      } else if (t !== first) {
        throw smpFailure(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  if (first === undefined) return undefined;
  return first === "object" ? "map" : "scalar";
}

const keyOf = (item: unknown, mergeKey: MergeKey): unknown =>
  mergeKey === "" ? item : isObject(item) && Object.hasOwn(item, mergeKey) ? item[mergeKey] : undefined;

/** Position of the first element of `list` with the same merge key value (or value), else -1. */
export function indexIn(list: unknown[], item: unknown, mergeKey: MergeKey): number {
  const want = keyOf(item, mergeKey);
  return list.findIndex((v) => keyOf(v, mergeKey) === want);
}

export function requireMergeKey(list: unknown[], mergeKey: MergeKey): void {
  for (const item of list) {
    if (!isObject(item)) throw errBadArgType("map", item);
    if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
  }
}

export const isDeleteElement = (v: unknown) => isObject(v) && v.$patch === "delete";

/** Sorts by position in `order` (stable); elements marked `$patch: delete` go last. */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: MergeKey): unknown[] {
  let toDelete: unknown[] = [];
  if (mergeKey !== "") {
    requireMergeKey(items, mergeKey);
    requireMergeKey(order, mergeKey);
    toDelete = items.filter(isDeleteElement);
    items = items.filter((v) => !isDeleteElement(v));
  }
  const ranked = items.map((item, i) => ({ item, i, at: indexIn(order, item, mergeKey) }));
  ranked.sort((a, b) => a.at - b.at || a.i - b.i);
  return [...ranked.map((r) => r.item), ...toDelete];
}

/** Interleaves server-only items (left) with patch items (right), guided by the live order. */
function mergeSorted(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: MergeKey): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexIn(serverOrder, left[i], mergeKey);
    const ri = indexIn(serverOrder, right[j], mergeKey);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

/** Splits `merged` into the items `by` names and the rest, keeping their order. */
function partition(merged: unknown[], by: unknown[], mergeKey: MergeKey): [unknown[], unknown[]] {
  if (mergeKey !== "") requireMergeKey(merged, mergeKey);
  const inBy = (v: unknown) =>
    mergeKey === "" ? by.includes(v) : by.some((b) => isObject(b) && b[mergeKey] === (v as JsonObject)[mergeKey]);
  return [merged.filter(inBy), merged.filter((v) => !inBy(v))];
}

/**
 * Orders a merged list: items named in `patchOrder` in that order, the others in `serverOrder`'s,
 * interleaved by their places in `serverOrder` (the live list before the patch).
 */
export function orderMergedList(
  merged: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: MergeKey,
): unknown[] {
  const [patchItems, serverOnly] = partition(merged, patchOrder, mergeKey);
  return mergeSorted(
    sortByOrder(serverOnly, serverOrder, mergeKey),
    sortByOrder(patchItems, patchOrder, mergeKey),
    serverOrder,
    mergeKey,
  );
}
