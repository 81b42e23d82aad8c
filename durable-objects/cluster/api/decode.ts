// Reading request bodies: bounded in size before parsing, parsed as JSON (or YAML where
// upstream accepts it, or Kubernetes protobuf as kubectl's typed clients send it), then
// handed to writes/decode.ts, which checks them to be the kind the URL names.
import { parseDocument as parseYamlDoc } from "yaml";
import { readCapped } from "../../../kube/http/read-capped.ts";
import { decodeKubernetesProtobuf, ProtobufError } from "../../../kube/protobuf/decode.ts";
import { badRequest, tooLarge, unsupportedMediaType } from "../../../kube/status.ts";
import { type BodyType, decodeAs } from "../writes/decode.ts";
import type { FieldValidationMode } from "../writes/field-validation.ts";

/** Upstream's limit on a request body (apiserver MaxRequestBodyBytes). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The media type of kubectl's typed clients (`kubectl create deployment|configmap|…`). */
export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

/**
 * Reads the body as text, refusing it before parsing once it passes the limit. A protobuf body is
 * decoded here, where its bytes still are, and handed on as the JSON text of the same object, so
 * every caller (and parseDocument) keeps working on text.
 */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const bytes = await readBodyBytes(request, limit);
  if (mediaType(request) === PROTOBUF_MEDIA_TYPE) return JSON.stringify(decodeProtobuf(bytes));
  return new TextDecoder().decode(bytes);
}

/** Reads the raw body bytes, refusing them once they pass the limit. */
export async function readBodyBytes(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await request.body?.cancel();
    throw tooLarge(`Request entity too large: limit is ${limit}`);
  }
  if (!request.body) return new Uint8Array(0);
  const bytes = await readCapped(request.body, limit);
  if (bytes === null) throw tooLarge(`Request entity too large: limit is ${limit}`);
  return bytes;
}

/** A protobuf body as its JSON object (apiVersion and kind from the envelope); malformed bodies are a 400. */
function decodeProtobuf(bytes: Uint8Array): Record<string, unknown> {
  try {
    return decodeKubernetesProtobuf(bytes).object;
  } catch (err) {
    if (err instanceof ProtobufError) throw badRequest(`protobuf decode error: ${err.message}`);
    throw err;
  }
}

export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "application/json").split(";")[0].trim().toLowerCase();
}

/**
 * How deeply a body may nest. Upstream's JSON decoder stops at 10,000; real objects stay within a
 * few dozen levels, and the patch and managed-fields algorithms recurse, so the bound here is lower.
 */
export const MAX_BODY_DEPTH = 1000;

/** Parses a JSON or YAML document body into a value (protobuf bodies arrive from readBody as JSON text). */
export function parseDocument(text: string, type: string): unknown {
  if (type === "application/json" || type.endsWith("+json") || type === "" || type === PROTOBUF_MEDIA_TYPE) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw badRequest(`json parse error: ${(err as Error).message}`);
    }
    const problem = nonJson(value);
    if (problem) throw badRequest(`json parse error: ${problem}`);
    return value;
  }
  if (type === "application/yaml" || type.endsWith("+yaml")) return parseYamlDocument(text);
  throw unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE}`,
  );
}

/**
 * One YAML document as the JSON value sigs.k8s.io/yaml would turn it into: a document it cannot
 * convert (an unsupported %YAML version, binary or set values, infinities) is a 400.
 */
function parseYamlDocument(text: string): unknown {
  const doc = parseYamlDoc(text, { uniqueKeys: false });
  const fatal = [...doc.errors, ...doc.warnings.filter((w) => w.code === "BAD_DIRECTIVE")];
  if (fatal.length > 0) throw badRequest(`yaml parse error: ${fatal[0].message.split("\n")[0]}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`yaml parse error: ${(err as Error).message.split("\n")[0]}`);
  }
  const problem = nonJson(value);
  if (problem) throw badRequest(`yaml: ${problem}`);
  return value;
}

/** Why a parsed value cannot stand for a JSON document (too deep, or not JSON's types), if it cannot. */
function nonJson(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) return "exceeded max depth";
    if (v === null || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return `unsupported value: ${v}`;
      continue;
    }
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1]);
      continue;
    }
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      for (const item of Object.values(v)) stack.push([item, depth + 1]);
      continue;
    }
    return `cannot convert a ${v instanceof Uint8Array ? "binary" : (v?.constructor?.name ?? typeof v)} value to JSON`;
  }
  return undefined;
}

/** Reads a body and decodes it typed as `type` (wrong types refused, unknown fields as `mode` says). */
export async function readTyped(request: Request, type: BodyType, mode: FieldValidationMode) {
  const text = await readBody(request);
  return decodeAs(type, parseDocument(text, mediaType(request)), text, mode);
}
