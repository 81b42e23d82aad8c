// PATCH with application/apply-patch+yaml: server-side apply, creating the object when it
// does not exist yet, with field ownership computed by kube/managed-fields.
import { applyConfiguration } from "../../../kube/managed-fields/apply.ts";
import { badRequest } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { apiVersionOf, resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "./create.ts";
import { decodeObject } from "./decode.ts";
import type { WriteOptions } from "./options.ts";
import { updateObject } from "./update.ts";

export interface ApplyResult {
  object: KubeObject;
  created: boolean;
  /** Field validation warnings about the configuration. */
  warnings: string[];
}

export function serverSideApply(
  ctx: ApiContext,
  kind: ResourceKind,
  target: { namespace?: string; name: string },
  body: unknown,
  options: WriteOptions & { explicitManager: boolean; rawText: string },
): ApplyResult {
  if (!options.explicitManager) throw badRequest("fieldManager is required for apply requests");
  const { obj: config, warnings } = decodeObject(kind, body, options.rawText, options.fieldValidation);
  if (config.metadata.name !== undefined && config.metadata.name !== target.name)
    throw badRequest(
      `the name of the object (${config.metadata.name}) does not match the name on the URL (${target.name})`,
    );
  config.metadata.name = target.name;
  const live = ctx.store.get(resourceId(kind), target.namespace, target.name)?.object;
  const applyOptions = {
    manager: options.fieldManager,
    force: options.force,
    apiVersion: apiVersionOf(kind),
    now: ctx.now(),
  };
  const next = applyConfiguration(live, config, applyOptions);
  const writeOptions = { ...options, managedFieldsDone: true };
  if (!live) return { object: createObject(ctx, kind, target.namespace, next, writeOptions), created: true, warnings };
  return { object: updateObject(ctx, kind, target, next, writeOptions), created: false, warnings };
}
