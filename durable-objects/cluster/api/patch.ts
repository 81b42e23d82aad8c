// PATCH: the patch types kubectl and client libraries send, applied to the stored object
// before the result goes through the ordinary update path.
import { applyJsonPatch } from "../../../kube/patch/json-patch.ts";
import { applyMergePatch } from "../../../kube/patch/merge-patch.ts";
import { applyStrategicMergePatch } from "../../../kube/patch/strategic-merge-patch.ts";
import { badRequest, unsupportedMediaType } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ResourceKind } from "../registry/types.ts";

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

export function checkPatchType(type: string): void {
  if (!patchers[type] && type !== APPLY_PATCH_TYPE)
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(", ")}`,
    );
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
