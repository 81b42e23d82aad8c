// Upstream's ControllerRefManager: an owner claims the objects its selector matches. It
// keeps those it controls that still match, adopts orphans that match (unless it or they are
// being deleted), and releases those it controls that stopped matching.
import { type LabelRequirement, matchesLabels } from "../../../kube/labels.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { controllerRef, newControllerRef } from "./pods.ts";
import { resourcePrefix } from "../store/keys.ts";
import type { StoredEntry } from "../store/object-store.ts";
import type { Writer } from "./writes.ts";

export interface ClaimOptions {
  resource: string;
  /** Only candidates passing this are considered (e.g. active pods). */
  filter?(obj: KubeObject): boolean;
}

export function claim(
  writer: Writer,
  owner: KubeObject,
  selector: LabelRequirement[] | null,
  options: ClaimOptions,
): KubeObject[] {
  const uid = owner.metadata.uid;
  const claimed: KubeObject[] = [];
  for (const entry of candidates(writer, owner, options.resource)) {
    const obj = entry.object;
    if (options.filter && !options.filter(obj)) continue;
    const ref = controllerRef(obj);
    if (ref && ref.uid !== uid) continue;
    const matches = matchesLabels(selector, obj.metadata.labels);
    if (ref) {
      if (matches) claimed.push(obj);
      else if (!owner.metadata.deletionTimestamp) release(writer, options.resource, obj, uid!);
      continue;
    }
    if (!matches || owner.metadata.deletionTimestamp || obj.metadata.deletionTimestamp) continue;
    claimed.push(adopt(writer, options.resource, owner, obj));
  }
  return claimed;
}

/**
 * What the owner may claim: the objects that name it as owner and the orphans of its namespace, in key
 * order, read through the store's indexes: a claim per pod write used to walk the whole namespace
 * (issue 22: with 100,000 pods each ReplicaSet sync visited all of them).
 */
function candidates(writer: Writer, owner: KubeObject, resource: string): readonly StoredEntry[] {
  const store = writer.ctx.store;
  const ns = owner.metadata.namespace;
  if (ns === undefined || !owner.metadata.uid) return store.list(resource, ns);
  const prefix = resourcePrefix(resource, ns);
  const keys = new Set([...store.owners.keys(owner.metadata.uid), ...store.orphans.keys(`${resource}/${ns}`)]);
  return [...keys]
    .filter((k) => k.startsWith(prefix))
    .sort()
    .flatMap((k) => store.getByKey(k) ?? []);
}

function adopt(writer: Writer, resource: string, owner: KubeObject, obj: KubeObject): KubeObject {
  const next = structuredClone(obj);
  next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), newControllerRef(owner)];
  return writer.update(resource, obj, next);
}

function release(writer: Writer, resource: string, obj: KubeObject, uid: string): void {
  const next = structuredClone(obj);
  next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
  if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
  writer.update(resource, obj, next);
}
