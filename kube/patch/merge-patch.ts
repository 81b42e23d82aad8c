// JSON merge patch (RFC 7386, `application/merge-patch+json`), as the API server applies it
// with evanphx/json-patch's MergePatch.
import { badRequest } from "../status.ts";
import { cloneJson, getOwn, isObject, type JsonObject, setOwn } from "./json-values.ts";

/** Merges an object patch into `out` (a private copy): null removes a key, objects merge, all else replaces. */
function mergeInto(out: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value)) {
      const current = getOwn(out, key);
      setOwn(out, key, mergeInto(isObject(current) ? current : {}, value));
    } else setOwn(out, key, cloneJson(value));
  }
  return out;
}

/**
 * Applies a merge patch to a JSON document and returns the result; neither input is changed.
 * An array patch replaces the document (its null elements dropped, as upstream does); a null patch
 * changes nothing; any other non-object patch is upstream's 400 "Invalid JSON Patch".
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null) return cloneJson(target);
  if (Array.isArray(patch)) return patch.filter((x) => x !== null).map(cloneJson);
  if (!isObject(patch)) throw badRequest("Invalid JSON Patch");
  return mergeInto(isObject(target) ? cloneJson(target) : {}, patch);
}
