// JSON values in and out of CEL: Kubernetes' unstructured objects carry integers where CEL has int
// (a BigInt in @marcbachmann/cel-js) and other numbers where it has double; results come back as JSON.
import { Optional } from "@marcbachmann/cel-js";

/** A JSON value as CEL sees it: integers become BigInt, everything else keeps its shape (a copy). */
export function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v);
    return out;
  }
  return value;
}

/** A CEL result as JSON: BigInts within 2^53 become numbers, larger ones their decimal string. */
export function fromCel(value: unknown): unknown {
  if (typeof value === "bigint")
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : null;
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCel(v)]));
  if (value instanceof Uint8Array) return btoa(String.fromCharCode(...value));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromCel(v);
    return out;
  }
  return value;
}
