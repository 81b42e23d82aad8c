import { describe, expect, it } from "vitest";
import { SortedKeys } from "./sorted-keys.ts";

const key = (i: number) => `pods/ns-${i % 7}/p-${String(i).padStart(6, "0")}`;

/** A reference model: a plain sorted array. */
function model(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort();
}

describe("SortedKeys", () => {
  it("stays sorted through inserts and deletes across chunk splits, like a sorted array", () => {
    const keys = new SortedKeys();
    const ref = new Set<string>();
    // A deterministic shuffle of 5,000 keys (several 1,024-key chunks), then every third deleted.
    for (let i = 0; i < 5000; i++) {
      const k = key((i * 7919) % 5000);
      expect(keys.insert(k)).toBe(!ref.has(k));
      ref.add(k);
    }
    expect(keys.insert(key(42))).toBe(false);
    for (let i = 0; i < 5000; i += 3) {
      expect(keys.delete(key(i))).toBe(true);
      ref.delete(key(i));
    }
    expect(keys.delete(key(0))).toBe(false);
    expect(keys.size).toBe(ref.size);
    expect([...keys.from("")]).toEqual(model(ref));
  });

  it("reads from a start key (inclusive or after it) and ranks keys, matching the sorted array", () => {
    const all = Array.from({ length: 3000 }, (_, i) => key(i));
    const keys = SortedKeys.of(all);
    const sorted = model(all);
    for (const start of [sorted[0], sorted[1500], sorted[2999], "pods/ns-3/", "pods/ns-3/p-0015", "zzz", ""]) {
      expect([...keys.from(start)]).toEqual(sorted.filter((k) => k >= start));
      expect([...keys.from(start, true)]).toEqual(sorted.filter((k) => k > start));
      expect(keys.rank(start)).toBe(sorted.filter((k) => k < start).length);
      expect(keys.rank(start, true)).toBe(sorted.filter((k) => k <= start).length);
    }
  });
});
