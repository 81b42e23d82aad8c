// The errors strategic merge patch raises, with the HTTP codes the API server gives them
// (interpretStrategicMergePatchError): format errors are 400, lists of lists 422. All other
// failures upstream passes through unconverted, as a 500; they are the patch's fault, and no input
// may answer 5xx here, so they are 400 with upstream's text.
import { StatusError, badRequest } from "../status.ts";
import { goFormat, isObject } from "./json-values.ts";

export const errBadPatchFormatForPrimitiveList = () => badRequest("invalid patch format of primitive list");
export const errBadPatchFormatForRetainKeys = () => badRequest("invalid patch format of retainKeys");
export const errBadPatchFormatForSetElementOrderList = () => badRequest("invalid patch format of setElementOrder list");

export function errNoListOfLists(): StatusError {
  const err = new StatusError(422, "Invalid", "the server rejected our request due to an error in our request");
  err.cause = new Error("lists of lists are not supported");
  return err;
}

/** An error the API server passes through unconverted (a 500 upstream), answered as the bad request it is. */
export const smpFailure = (message: string) => badRequest(message);

export const errNoMergeKey = (m: unknown, key: string) =>
  smpFailure(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);

/** Go's reflect type name of an unstructured JSON value. */
function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return "[]interface {}";
  if (isObject(v)) return "map[string]interface {}";
  if (typeof v === "number") return Number.isInteger(v) ? "int64" : "float64";
  return typeof v === "boolean" ? "bool" : "string";
}

export const errBadArgType = (expected: "map" | "list", actual: unknown) =>
  smpFailure(
    `expected a ${expected === "map" ? "map[string]interface {}" : "[]interface {}"}, but received a ${goTypeName(actual)}`,
  );

export const errBadPatchType = (t: unknown, m: unknown) =>
  smpFailure(`unknown patch type: ${String(t)} in map: ${goFormat(m)}`);
