// A secondary index over stored objects: each object files under zero or more values
// (an owner's uid, a pod's node name …) so lookups never scan a whole resource.
import type { KubeObject } from "../../../kube/types.ts";

export type IndexFunction = (resource: string, object: KubeObject) => readonly string[];

export class SecondaryIndex {
  readonly #valuesOf: IndexFunction;
  #keys = new Map<string, Set<string>>();

  constructor(valuesOf: IndexFunction) {
    this.#valuesOf = valuesOf;
  }

  /** Moves `key` from the values of its old object (if any) to those of its new one (if any). */
  update(resource: string, key: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    if (before) for (const v of this.#valuesOf(resource, before)) this.#keys.get(v)?.delete(key);
    if (after)
      for (const v of this.#valuesOf(resource, after)) {
        let set = this.#keys.get(v);
        if (!set) {
          set = new Set();
          this.#keys.set(v, set);
        }
        set.add(key);
      }
  }

  keys(value: string): readonly string[] {
    const set = this.#keys.get(value);
    return set ? [...set] : [];
  }
}

/** Dependents by the uid of each owner reference: the garbage collector's question. */
export const byOwnerUid: IndexFunction = (_resource, object) =>
  object.metadata.ownerReferences?.map((r) => r.uid) ?? [];

/** Every object by its own uid, to find an owner from a dependent's reference. */
export const byUid: IndexFunction = (_resource, object) => (object.metadata.uid ? [object.metadata.uid] : []);
