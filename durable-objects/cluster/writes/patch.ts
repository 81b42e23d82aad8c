// PATCH: the patch types kubectl and client libraries send, applied to the stored object
// before the result goes through the ordinary update path.
import { applyJsonPatch } from "../../../kube/patch/json-patch.ts";
import { applyMergePatch } from "../../../kube/patch/merge-patch.ts";
import { applyStrategicMergePatch } from "../../../kube/patch/strategic-merge-patch.ts";
import { badRequest, unsupportedMediaType } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { BodyType, Decoded } from "./decode.ts";
import { checkFields, type FieldValidationMode, patchDecodeError } from "./field-validation.ts";

export const PATCH_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];

type Patcher = (original: KubeObject, patch: unknown, kind: ResourceKind) => unknown;

const patchers: Record<string, Patcher> = {
  "application/json-patch+json": (o, p) => applyJsonPatch(o, p),
  "application/merge-patch+json": (o, p) => applyMergePatch(o, p),
  "application/strategic-merge-patch+json": (o, p, k) => applyStrategicMergePatch(o, p, k.kind),
};

/** Server-side apply: handled by apply.ts, not as a patch of the stored object. */
export const APPLY_PATCH_TYPE = "application/apply-patch+yaml";

const STRATEGIC = "application/strategic-merge-patch+json";

/**
 * Refuses a patch type the kind cannot take: custom resources (kinds with their own OpenAPI schema)
 * carry no patch strategies, so upstream refuses strategic merge patches of them with a 415.
 */
export function checkPatchType(type: string, kind?: ResourceKind): void {
  const custom = kind?.openAPISchema !== undefined;
  if ((!patchers[type] && type !== APPLY_PATCH_TYPE) || (custom && type === STRATEGIC)) {
    const accepted = custom ? PATCH_TYPES.filter((t) => t !== STRATEGIC) : PATCH_TYPES;
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    );
  }
}

/**
 * A patch applied and its result decoded as the URL's type, as upstream decodes the patched JSON
 * into the typed object: the result must stay that apiVersion and kind, and every value of its
 * schema's type; otherwise upstream's 422 on the field "patch". Unknown fields follow `mode`;
 * the name must still be the URL's.
 */
export function patchObject(
  type: string,
  original: KubeObject,
  patch: unknown,
  kind: ResourceKind,
  body: { bodyType: BodyType; rawText: string; mode: FieldValidationMode; name: string },
): Decoded {
  const result = applyPatch(type, original, patch, kind);
  const expected = body.bodyType;
  if (result.apiVersion !== undefined && result.apiVersion !== expected.apiVersion)
    throw patchDecodeError(
      result,
      `no kind "${expected.kind}" is registered for version "${String(result.apiVersion)}"`,
    );
  if (result.kind !== undefined && result.kind !== expected.kind)
    throw patchDecodeError(
      result,
      `converting (${String(result.apiVersion ?? expected.apiVersion)}, Kind=${String(result.kind)}) to (${expected.apiVersion}, Kind=${expected.kind}): unknown conversion`,
    );
  const { warnings } = checkFields(body.mode, expected.definition, result, body.rawText, {
    patch: true,
    original,
    unknownFields: expected.unknownFields,
  });
  result.apiVersion = expected.apiVersion;
  result.kind = expected.kind;
  if (result.metadata === undefined) result.metadata = {};
  // Upstream's checkName: a patch that drops or changes the name (even `$patch: delete` of the
  // whole object) does not address the object on the URL.
  const name = result.metadata.name ?? "";
  if (name !== body.name)
    throw badRequest(`the name of the object (${name}) does not match the name on the URL (${body.name})`);
  return { obj: result, warnings };
}

export function applyPatch(type: string, original: KubeObject, patch: unknown, kind: ResourceKind): KubeObject {
  const patcher = patchers[type];
  if (!patcher)
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchers).join(", ")}`,
    );
  const result = patcher(structuredClone(original), patch, kind);
  if (!result || typeof result !== "object" || Array.isArray(result))
    throw badRequest("the patch result must be an object");
  return result as KubeObject;
}
