// A write's answer is the object it stored, and the store serialized that object once already (the row
// and the change log hold that text). The response reuses it rather than running JSON.stringify again:
// a pod's create paid ~0.2 ms of the object's CPU for the second serialization (bench/run.ts --cpu-profile).
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";

/**
 * The stored JSON of `obj` when `obj` is the stored object itself; undefined for anything else (a dry run,
 * a copy, an object a later write has replaced), which the caller serializes as before.
 */
export function storedJson(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): string | undefined {
  const name = obj.metadata.name;
  if (name === undefined) return undefined;
  const entry = ctx.store.get(resourceId(kind), obj.metadata.namespace, name);
  return entry?.object === obj ? entry.json : undefined;
}
