// Reading request bodies: bounded in size before parsing, parsed as JSON (or YAML where
// upstream accepts it, or Kubernetes protobuf as kubectl's typed clients send it), and checked
// to be the kind the URL names.
import { parse as parseYaml } from "yaml";
import { readCapped } from "../../../kube/http/read-capped.ts";
import { decodeKubernetesProtobuf, ProtobufError } from "../../../kube/protobuf/decode.ts";
import { badRequest, tooLarge, unsupportedMediaType } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { apiVersionOf } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";

/** Upstream's limit on a request body (apiserver MaxRequestBodyBytes). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Upstream's limit on a stored object (etcd's request limit). */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

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

/** Parses a JSON or YAML document body into a value (protobuf bodies arrive from readBody as JSON text). */
export function parseDocument(text: string, type: string): unknown {
  if (type === "application/json" || type.endsWith("+json") || type === "" || type === PROTOBUF_MEDIA_TYPE) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`json parse error: ${(err as Error).message}`);
    }
  }
  if (type === "application/yaml" || type.endsWith("+yaml")) {
    try {
      return parseYaml(text, { uniqueKeys: false });
    } catch (err) {
      throw badRequest(`yaml parse error: ${(err as Error).message}`);
    }
  }
  throw unsupportedMediaType(
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE}`,
  );
}

/** Checks that a decoded body is an object of the kind the URL addresses and fills in what may be omitted. */
export function asObjectOf(kind: ResourceKind, value: unknown): KubeObject {
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw badRequest(`the body of the request must be a ${kind.kind} object`);
  const obj = value as KubeObject;
  const expected = apiVersionOf(kind);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected)
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`,
    );
  if (obj.kind !== undefined && obj.kind !== kind.kind)
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${kind.kind})`);
  obj.apiVersion = expected;
  obj.kind = kind.kind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== "object" || Array.isArray(obj.metadata))
    throw badRequest(`metadata: expected an object, got ${JSON.stringify(obj.metadata)}`);
  return obj;
}
