// Cases taken from upstream's strategicpatch tests (patch_test.go), run against the same
// MergeItem shape: mergingList merges by name, mergingIntList merges as a set, the rest replace.
import type { PatchSchema } from "../merge-keys.ts";
import type { SmpCase } from "./smp-cases.ts";

const item: { [k: string]: object } = {};
export const mergeItemSchema: PatchSchema = {
  mergingList: { strategy: "merge", mergeKey: "name", fields: item as PatchSchema },
  mergingIntList: { strategy: "merge" },
  retainKeysMergingList: { strategy: "merge", mergeKey: "name", retainKeys: true },
};
Object.assign(item, mergeItemSchema); // the list elements are MergeItems again

const n = (name: number, extra: object = {}) => ({ name, ...extra });

export const upstreamCases: SmpCase[] = [
  {
    name: "unique scalars when merging lists",
    kind: "",
    original: { mergingIntList: [1, 2] },
    patch: { mergingIntList: [2, 3] },
    expected: { mergingIntList: [1, 2, 3] },
  },
  {
    name: "delete all items from merging list",
    kind: "",
    original: { mergingList: [n(1), n(2)] },
    patch: { mergingList: [{ $patch: "replace" }] },
    expected: { mergingList: [] },
  },
  {
    name: "merge empty merging lists",
    kind: "",
    original: { mergingList: [] },
    patch: { mergingList: [] },
    expected: { mergingList: [] },
  },
  {
    name: "delete all keys from map",
    kind: "",
    original: { name: 1, value: 1 },
    patch: { $patch: "replace" },
    expected: {},
  },
  {
    name: "add key and delete all keys from map",
    kind: "",
    original: { name: 1, value: 1 },
    patch: { other: "a", $patch: "replace" },
    expected: { other: "a" },
  },
  {
    name: "preserve the order from the patch in a merging list",
    kind: "",
    original: { mergingList: [n(1), n(2, { value: "b" }), n(3)] },
    patch: { mergingList: [n(3, { value: "c" }), n(1, { value: "a" }), n(2, { other: "x" })] },
    expected: { mergingList: [n(3, { value: "c" }), n(1, { value: "a" }), n(2, { value: "b", other: "x" })] },
  },
  {
    name: "preserve the order from the patch in a merging list 2",
    kind: "",
    original: { mergingList: [n(1), n(2, { value: "b" }), n(3)] },
    patch: { mergingList: [n(3, { value: "c" }), n(1, { value: "a" })] },
    expected: { mergingList: [n(2, { value: "b" }), n(3, { value: "c" }), n(1, { value: "a" })] },
  },
  {
    name: "preserve the order from the patch in a merging int list",
    kind: "",
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 1, 2] },
    expected: { mergingIntList: [3, 1, 2] },
  },
  {
    name: "preserve the order from the patch in a merging int list 2",
    kind: "",
    original: { mergingIntList: [1, 2, 3] },
    patch: { mergingIntList: [3, 1] },
    expected: { mergingIntList: [2, 3, 1] },
  },
  {
    name: "$setElementOrder contains an item not in the list",
    kind: "",
    original: { mergingList: [n(1), n(3)] },
    patch: {
      "$setElementOrder/mergingList": [n(3), n(2), n(1)],
      mergingList: [n(3, { value: 3 }), n(1, { value: 1 })],
    },
    expected: { mergingList: [n(3, { value: 3 }), n(1, { value: 1 })] },
  },
  {
    name: "$setElementOrder contains an item not in the int list",
    kind: "",
    original: { mergingIntList: [1, 3] },
    patch: { "$setElementOrder/mergingIntList": [3, 2, 1] },
    expected: { mergingIntList: [3, 1] },
  },
  {
    name: "$setElementOrder and patch order disagree",
    kind: "",
    original: { mergingList: [n(1), n(3), n(2)] },
    patch: {
      "$setElementOrder/mergingList": [n(1), n(2), n(3)],
      mergingList: [n(3, { value: 3 }), n(1, { value: 1 })],
    },
    error: {
      code: 400,
      message:
        "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
    },
  },
  {
    name: "missing merge key",
    kind: "",
    original: { mergingList: [n(1, { value: "a" })] },
    patch: { mergingList: [{ value: "b" }] },
    error: { code: 400, message: "map: map[value:b] does not contain declared merge key: name" },
  },
  {
    name: "delete items in lists of scalars",
    kind: "",
    original: { mergingIntList: [1, 2, 3, 4] },
    patch: { "$setElementOrder/mergingIntList": [1, 2], "$deleteFromPrimitiveList/mergingIntList": [3] },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: "delete all duplicate items in lists of scalars",
    kind: "",
    original: { mergingIntList: [1, 2, 3, 3] },
    patch: { "$setElementOrder/mergingIntList": [1, 2], "$deleteFromPrimitiveList/mergingIntList": [3] },
    expected: { mergingIntList: [1, 2] },
  },
  {
    name: "add and delete items in lists of scalars",
    kind: "",
    original: { mergingIntList: [1, 2, 3] },
    patch: {
      "$setElementOrder/mergingIntList": [1, 2, 4],
      "$deleteFromPrimitiveList/mergingIntList": [3],
      mergingIntList: [4],
    },
    expected: { mergingIntList: [1, 2, 4] },
  },
  {
    name: "merge lists of maps",
    kind: "",
    original: { mergingList: [n(1, { other: "a" }), n(2, { value: 2, other: "b" })] },
    patch: {
      "$setElementOrder/mergingList": [n(4), n(1), n(2), n(3)],
      mergingList: [n(4, { value: 4 }), n(3, { value: 3 })],
    },
    expected: {
      mergingList: [n(4, { value: 4 }), n(1, { other: "a" }), n(2, { value: 2, other: "b" }), n(3, { value: 3 })],
    },
  },
  {
    name: "retainKeys list can delete a field",
    kind: "",
    original: { retainKeysMergingList: [{ name: "bar" }, { name: "foo", value: "a" }] },
    patch: { retainKeysMergingList: [{ name: "foo", value: null }] },
    expected: { retainKeysMergingList: [{ name: "bar" }, { name: "foo" }] },
  },
  {
    name: "nested merging lists",
    kind: "",
    original: { mergingList: [n(1, { mergingList: [n(1), n(2)] })] },
    patch: { mergingList: [n(1, { mergingList: [n(2, { value: "x" }), { name: 1, $patch: "delete" }] })] },
    expected: { mergingList: [n(1, { mergingList: [n(2, { value: "x" })] })] },
  },
];
