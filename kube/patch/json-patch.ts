// JSON patch (RFC 6902, `application/json-patch+json`) as the API server applies it with
// evanphx/json-patch: a malformed patch document is a 400; an operation that cannot be applied
// (missing path, failed test, bad index) is a 422 whose message upstream keeps generic. The
// specific reason travels in the error's `cause` for logs.
import { StatusError, badRequest, tooLarge } from "../status.ts";
import { cloneJson, getOwn, goJsonKind, isObject, type JsonObject, jsonEqual, setOwn } from "./json-values.ts";

/** apiserver's maxJSONPatchOperations. */
export const maxJsonPatchOperations = 10000;

class PatchApplyError extends Error {}

/** The 422 upstream answers for any operation that fails (NewGenericServerResponse, no causes). */
function unprocessable(reason: string): StatusError {
  const err = new StatusError(422, "Invalid", "the server rejected our request due to an error in our request");
  (err as Error).cause = new Error(reason);
  return err;
}

/** Splits a JSON pointer into unescaped tokens ("" is the whole document). */
function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new PatchApplyError(`JSON pointer must be empty or start with a "/": ${pointer}`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** An array index token; negative indices count from the end, as evanphx/json-patch allows. */
function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (!/^-?[0-9]+$/.test(token)) throw new PatchApplyError(`invalid array index: ${token}`);
  let i = Number(token);
  if (i < 0) i += length;
  if (i < 0 || i > length || (i === length && !allowEnd)) throw new PatchApplyError(`index out of bounds: ${token}`);
  return i;
}

interface Found {
  found: boolean;
  value?: unknown;
}

function getAt(doc: unknown, tokens: string[]): Found {
  let cur = doc;
  for (const t of tokens) {
    if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else if (Array.isArray(cur) && /^-?[0-9]+$/.test(t) && Number(t) < cur.length && Number(t) >= -cur.length)
      cur = cur.at(Number(t));
    else return { found: false };
  }
  return { found: true, value: cur };
}

/** The container that holds the last token of a path. */
function parentOf(doc: unknown, tokens: string[], pointer: string): unknown {
  const parent = getAt(doc, tokens.slice(0, -1));
  if (!parent.found || !(isObject(parent.value) || Array.isArray(parent.value)))
    throw new PatchApplyError(`doc is missing path: "${pointer}": missing value`);
  return parent.value;
}

/** The document after the edit; only the root replacement needs a new reference. */
type Doc = { root: unknown };

function add(doc: Doc, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) {
    doc.root = value;
    return;
  }
  const parent = parentOf(doc.root, tokens, pointer);
  const key = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : arrayIndex(key, parent.length, true);
    parent.splice(i, 0, value);
  } else setOwn(parent as JsonObject, key, value);
}

function remove(doc: Doc, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PatchApplyError("unable to remove the whole document");
  const parent = parentOf(doc.root, tokens, pointer);
  const key = tokens[tokens.length - 1];
  if (Array.isArray(parent)) return parent.splice(arrayIndex(key, parent.length, false), 1)[0];
  const obj = parent as JsonObject;
  if (!Object.hasOwn(obj, key)) throw new PatchApplyError(`Unable to remove nonexistent key: ${key}: missing value`);
  const old = obj[key];
  delete obj[key];
  return old;
}

function replace(doc: Doc, pointer: string, value: unknown): void {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) {
    doc.root = value;
    return;
  }
  const parent = parentOf(doc.root, tokens, pointer);
  const key = tokens[tokens.length - 1];
  if (Array.isArray(parent)) parent[arrayIndex(key, parent.length, false)] = value;
  else if (Object.hasOwn(parent as JsonObject, key)) setOwn(parent as JsonObject, key, value);
  else throw new PatchApplyError(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
}

function valueAt(doc: Doc, pointer: string): unknown {
  const got = getAt(doc.root, parsePointer(pointer));
  if (!got.found) throw new PatchApplyError(`doc is missing from path: ${pointer}: missing value`);
  return got.value;
}

function stringField(op: JsonObject, name: string): string {
  const v = getOwn(op, name);
  if (typeof v !== "string") throw new PatchApplyError(`operation missing ${name} field`);
  return v;
}

function applyOne(doc: Doc, op: JsonObject): void {
  const kind = getOwn(op, "op");
  const path = stringField(op, "path");
  // A missing "value" reads as null, as in evanphx/json-patch.
  const value = cloneJson(getOwn(op, "value") ?? null);
  switch (kind) {
    case "add":
      add(doc, path, value);
      return;
    case "remove":
      remove(doc, path);
      return;
    case "replace":
      replace(doc, path, value);
      return;
    case "move": {
      const from = stringField(op, "from");
      if (path.startsWith(`${from}/`)) throw new PatchApplyError(`cannot move "${from}" into its own child "${path}"`);
      valueAt(doc, from);
      add(doc, path, remove(doc, from));
      return;
    }
    case "copy":
      add(doc, path, cloneJson(valueAt(doc, stringField(op, "from"))));
      return;
    case "test": {
      const got = getAt(doc.root, parsePointer(path));
      // Testing for null passes on a missing path, as upstream's library does.
      if (got.found ? jsonEqual(got.value, value) : value === null) return;
      throw new PatchApplyError(`testing value ${path} failed: test failed`);
    }
    default:
      throw new PatchApplyError(`Unexpected kind: ${typeof kind === "string" ? kind : "unknown"}`);
  }
}

/**
 * Applies a JSON patch (the parsed request body) to a document and returns the result; neither
 * input is changed. Throws 400 for a body that is not a list of operations, 413 past
 * maxJsonPatchOperations, and 422 when an operation fails.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
  for (const op of ops)
    if (!isObject(op) && op !== null)
      throw badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
  if (ops.length > maxJsonPatchOperations)
    throw tooLarge(
      `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`,
    );
  const state: Doc = { root: cloneJson(doc) };
  for (const op of ops as (JsonObject | null)[]) {
    try {
      applyOne(state, op ?? {});
    } catch (e) {
      if (e instanceof PatchApplyError) throw unprocessable(e.message);
      throw e;
    }
  }
  return state.root;
}
