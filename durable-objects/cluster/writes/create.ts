// Create: upstream's generic registry Create (rest.BeforeCreate): system metadata, defaults,
// validation, then one stored write.
import { alreadyExists, badRequest } from "../../../kube/status.ts";
import { recordUpdate } from "../../../kube/managed-fields/record-update.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { apiVersionOf, resourceId } from "../registry/lookup.ts";
import { checkCreateQuota } from "../limits/hooks.ts";
import type { ResourceKind } from "../registry/types.ts";
import { checkEscalation } from "../auth/escalation.ts";
import { generateName } from "../../../kube/generate-name.ts";
import { admitBeforeDefaults, mutateOnCreate, validateAdmission } from "../admission/chain.ts";
import { admitIntoNamespace } from "./admission.ts";
import { allocate } from "./allocation.ts";
import { type ApiContext, timestamp } from "../context.ts";
import type { WriteOptions } from "./options.ts";
import { checkObjectSize, validateCreate } from "./validate.ts";

/** Fills the metadata the server owns, as rest.FillObjectMetaSystemFields and BeforeCreate do. */
function prepareMetadata(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, namespace: string | undefined): void {
  const meta = obj.metadata;
  if (kind.namespaced) {
    if (meta.namespace && namespace !== undefined && meta.namespace !== namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    meta.namespace = namespace ?? meta.namespace;
  } else {
    delete meta.namespace;
  }
  if (meta.resourceVersion) throw badRequest("resourceVersion should not be set on objects to be created");
  if (!meta.name && meta.generateName) {
    const taken = (name: string) => ctx.store.get(resourceId(kind), meta.namespace, name) !== undefined;
    meta.name = generateName(meta.generateName, taken);
  }
  meta.uid = crypto.randomUUID();
  meta.creationTimestamp = timestamp(ctx.now());
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (kind.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
}

export function createObject(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  obj: KubeObject,
  options: WriteOptions,
): KubeObject {
  prepareMetadata(ctx, kind, obj, namespace);
  admitIntoNamespace(ctx, kind, obj.metadata.namespace, obj.metadata.name ?? "");
  admitBeforeDefaults(ctx, kind, obj);
  kind.prepareForCreate?.(obj);
  kind.defaults?.(obj);
  mutateOnCreate(ctx, kind, obj);
  checkEscalation(ctx, kind, obj, undefined, options.user);
  validateCreate(kind, obj);
  const name = obj.metadata.name!;
  const resource = resourceId(kind);
  if (ctx.store.get(resource, obj.metadata.namespace, name)) throw alreadyExists(kind.group, kind.plural, name);
  validateAdmission(ctx, kind, obj, undefined, options.warnings, options.user);
  allocate(ctx, kind, obj);
  if (!options.managedFieldsDone) {
    const managed = recordUpdate(undefined, obj, {
      manager: options.fieldManager,
      apiVersion: apiVersionOf(kind),
      now: ctx.now(),
    });
    if (managed) obj.metadata.managedFields = managed;
  }
  const json = JSON.stringify(obj);
  checkObjectSize(json);
  checkCreateQuota(ctx, kind, obj, json.length);
  if (options.dryRun) return obj;
  return ctx.store.transaction(() => {
    const entry = ctx.store.put(resource, obj, "ADDED");
    kind.afterCreate?.(ctx, entry.object);
    return entry.object;
  });
}
