// A secondary index over stored objects: each object files under zero or more values
// (an owner's uid, a pod's node name …) so lookups never scan a whole resource.
import type { KubeObject } from "../../../kube/types.ts";

export type IndexFunction = (resource: string, object: KubeObject) => readonly string[];

export interface IndexedEntry {
  readonly key: string;
  readonly resource: string;
  readonly object: KubeObject;
}

/**
 * Built on first use from every stored entry, then kept current by `update`: a restarted
 * object answers its first requests without parsing every object just to index it.
 */
export class SecondaryIndex {
  readonly #valuesOf: IndexFunction;
  readonly #source: () => Iterable<IndexedEntry>;
  #keys: Map<string, Set<string>> | null = null;

  constructor(valuesOf: IndexFunction, source: () => Iterable<IndexedEntry>) {
    this.#valuesOf = valuesOf;
    this.#source = source;
  }

  #build(): Map<string, Set<string>> {
    if (!this.#keys) {
      this.#keys = new Map();
      for (const e of this.#source()) this.#add(e.resource, e.key, e.object);
    }
    return this.#keys;
  }

  #add(resource: string, key: string, object: KubeObject): void {
    for (const v of this.#valuesOf(resource, object)) {
      let set = this.#keys!.get(v);
      if (!set) {
        set = new Set();
        this.#keys!.set(v, set);
      }
      set.add(key);
    }
  }

  /** Moves `key` from the values of its old object (if any) to those of its new one (if any). */
  update(resource: string, key: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    if (!this.#keys) return;
    if (before) for (const v of this.#valuesOf(resource, before)) this.#keys.get(v)?.delete(key);
    if (after) this.#add(resource, key, after);
  }

  keys(value: string): readonly string[] {
    const set = this.#build().get(value);
    return set ? [...set] : [];
  }
}

/** Dependents by the uid of each owner reference: the garbage collector's question. */
export const byOwnerUid: IndexFunction = (_resource, object) =>
  object.metadata.ownerReferences?.map((r) => r.uid) ?? [];

/** Every object by its own uid, to find an owner from a dependent's reference. */
export const byUid: IndexFunction = (_resource, object) => (object.metadata.uid ? [object.metadata.uid] : []);

/**
 * Objects no controller owns, by `<resource>/<namespace>`: what an owner may adopt. With byOwnerUid it
 * lets a claim read its own objects and the orphans instead of its whole namespace (upstream's
 * FilterPodsByOwner over the controller-uid and orphan indexes).
 */
export const orphansByNamespace: IndexFunction = (resource, object) =>
  object.metadata.ownerReferences?.some((r) => r.controller) ? [] : [`${resource}/${object.metadata.namespace ?? ""}`];
