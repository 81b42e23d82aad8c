// Typed decoding, once, before anything else sees a body: the object must be of the kind it is
// written as, every value of its schema's type, unknown fields handled as the request's field
// validation says. api/decode.ts reads and parses bodies; this checks what they parsed to.
import { badRequest } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { definitionName } from "../registry/definition-name.ts";
import { apiVersionOf } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { checkFields, type FieldValidationMode } from "./field-validation.ts";

/** Upstream's limit on a stored object (etcd's request limit). */
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

/** The type a body must decode as: its apiVersion, kind and schema definition. */
export interface BodyType {
  apiVersion: string;
  kind: string;
  definition: string;
  /** Unknown-field detection (and pruning) by the kind's own schema, for kinds outside kube/schema. */
  unknownFields?: (obj: unknown, prune: boolean) => string[];
}

export const bodyTypeOf = (kind: ResourceKind): BodyType => ({
  apiVersion: apiVersionOf(kind),
  kind: kind.kind,
  definition: definitionName(kind),
  ...(kind.unknownFields ? { unknownFields: kind.unknownFields } : {}),
});

/** A decoded object body and the warnings its field validation produced. */
export interface Decoded<T = KubeObject> {
  obj: T;
  warnings: string[];
}

/**
 * Decodes a parsed body as the given type, as upstream's typed decoder does before anything else
 * sees it: it must be an object of that apiVersion and kind (when it names them), every value of
 * its schema's JSON type (else a 400 worded as Go's decoder), unknown fields as `mode` says.
 */
export function decodeAs(type: BodyType, value: unknown, rawText: string, mode: FieldValidationMode): Decoded {
  checkIdentity(type, value);
  const { warnings } = checkFields(mode, type.definition, value, rawText, { unknownFields: type.unknownFields });
  return { obj: filled(type, value as KubeObject), warnings };
}

/** decodeAs for a kind the API serves. */
export function decodeObject(kind: ResourceKind, value: unknown, rawText: string, mode: FieldValidationMode): Decoded {
  return decodeAs(bodyTypeOf(kind), value, rawText, mode);
}

function checkIdentity(type: BodyType, value: unknown): asserts value is Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw badRequest(`the body of the request must be a ${type.kind} object`);
  const obj = value as Record<string, unknown>;
  if (obj.apiVersion !== undefined && obj.apiVersion !== type.apiVersion)
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${type.apiVersion})`,
    );
  if (obj.kind !== undefined && obj.kind !== type.kind)
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${type.kind})`);
}

function filled(type: BodyType, obj: KubeObject): KubeObject {
  obj.apiVersion = type.apiVersion;
  obj.kind = type.kind;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  return obj;
}
