// The fields of a decoded object that its schema does not know, with upstream's paths
// (`spec.containers[0].imagee`, what the apiserver's strict JSON decoder prints). The same walk
// checks value types (typed-walk.ts); callers that only want the unknown fields use this.
import type { Definitions, Schema } from "./dsl.ts";
import { typedWalk } from "./typed-walk.ts";

/**
 * Paths of fields in `value` that `schema` does not define, in document order. With `prune`,
 * those fields are also deleted from `value` in place (what decoding into a typed object does).
 */
export function findUnknownFields(defs: Definitions, schema: Schema, value: unknown, prune = false): string[] {
  return typedWalk(defs, schema, value, { prune }).unknown;
}
