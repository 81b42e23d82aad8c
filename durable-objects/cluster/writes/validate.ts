// Runs generic metadata validation and the kind's own, turning problems into upstream's 422.
import type { FieldError } from "../../../kube/field-errors.ts";
import { validateManagedFields } from "../../../kube/managed-fields/entries.ts";
import { invalid, tooLarge } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { validateObjectMeta, validateObjectMetaUpdate } from "../registry/meta.ts";
import type { ResourceKind } from "../registry/types.ts";
import { MAX_OBJECT_BYTES } from "./decode.ts";

function reject(kind: ResourceKind, obj: KubeObject, errors: FieldError[]): void {
  if (errors.length > 0) throw invalid(kind.group, kind.kind, obj.metadata.name ?? "", errors);
}

export function validateCreate(kind: ResourceKind, obj: KubeObject): void {
  reject(kind, obj, [
    ...validateObjectMeta(obj, kind),
    ...validateManagedFields(obj.metadata.managedFields),
    ...(kind.validate?.(obj) ?? []),
    ...(kind.validateCreate?.(obj) ?? []),
  ]);
}

export function validateUpdate(kind: ResourceKind, obj: KubeObject, old: KubeObject, subresource?: string): void {
  const ephemeral = subresource === "ephemeralcontainers" ? kind.subresources?.ephemeralcontainers : undefined;
  const own = ephemeral ? ephemeral.validateUpdate(obj, old) : (kind.validateUpdate?.(obj, old) ?? []);
  reject(kind, obj, [
    ...validateObjectMeta(obj, kind),
    ...validateObjectMetaUpdate(obj, old),
    ...validateManagedFields(obj.metadata.managedFields),
    ...(kind.validate?.(obj) ?? []),
    ...own,
  ]);
}

/** The serialized object must fit upstream's storage limit. */
export function checkObjectSize(json: string): void {
  if (json.length > MAX_OBJECT_BYTES) throw tooLarge(`Request entity too large: limit is ${MAX_OBJECT_BYTES}`);
}
