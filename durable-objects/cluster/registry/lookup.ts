// Finding a ResourceKind by the names clients use for it.
import type { ResourceKind } from "./types.ts";

export interface GroupVersion {
  group: string;
  version: string;
}

/** Upstream's group-resource text: "pods", "deployments.apps" — also the store's resource key. */
export function resourceId(kind: ResourceKind): string {
  return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
}

export function apiVersionOf(kind: ResourceKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

export class KindIndex {
  readonly all: readonly ResourceKind[];
  #byPath = new Map<string, ResourceKind>();
  #byKind = new Map<string, ResourceKind>();
  #byResource = new Map<string, ResourceKind>();

  constructor(kinds: readonly ResourceKind[]) {
    this.all = kinds;
    for (const k of kinds) {
      this.#byPath.set(`${k.group}/${k.version}/${k.plural}`, k);
      // A converted version shares the stored objects; lookups by resource or kind mean the stored version.
      if (k.conversion) continue;
      this.#byKind.set(`${k.group}/${k.kind}`, k);
      this.#byResource.set(resourceId(k), k);
    }
  }

  byPlural(group: string, version: string, plural: string): ResourceKind | undefined {
    return this.#byPath.get(`${group}/${version}/${plural}`);
  }

  /** By the store's resource key ("pods", "deployments.apps"). */
  byResource(resource: string): ResourceKind | undefined {
    return this.#byResource.get(resource);
  }

  byKind(group: string, kind: string): ResourceKind | undefined {
    return this.#byKind.get(`${group}/${kind}`);
  }

  /** The group versions served, core first, then groups in registration order. */
  groupVersions(): GroupVersion[] {
    const seen = new Map<string, GroupVersion>();
    for (const k of this.all) seen.set(`${k.group}/${k.version}`, { group: k.group, version: k.version });
    return [...seen.values()];
  }

  inGroupVersion(group: string, version: string): ResourceKind[] {
    return this.all.filter((k) => k.group === group && k.version === version);
  }
}
