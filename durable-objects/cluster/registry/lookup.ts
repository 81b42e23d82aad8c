// The table of kinds a cluster serves: built-ins registered at start, custom kinds added and
// removed at run time as CustomResourceDefinitions are Established or go. Every lookup (routes,
// discovery, OpenAPI, the write path) reads it, so a kind is served by being in it.
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
  readonly #builtins: readonly ResourceKind[];
  #custom: readonly ResourceKind[] = [];
  #all: readonly ResourceKind[];
  #revision = 0;
  #byPath = new Map<string, ResourceKind>();
  #byKind = new Map<string, ResourceKind>();
  #byResource = new Map<string, ResourceKind>();

  constructor(builtins: readonly ResourceKind[]) {
    this.#builtins = builtins;
    this.#all = builtins;
    this.#index();
  }

  /** Every kind served: built-ins first, in discovery order, then custom kinds. */
  get all(): readonly ResourceKind[] {
    return this.#all;
  }

  /** Counts changes of the table, so documents derived from it (discovery, OpenAPI) know when to rebuild. */
  get revision(): number {
    return this.#revision;
  }

  /** Whether the kind is one the cluster serves from start (not a custom resource). */
  isBuiltin(kind: ResourceKind): boolean {
    return this.#builtins.includes(kind);
  }

  /**
   * Replaces the custom kinds with `kinds`. A custom kind never shadows a built-in: one whose
   * path, resource or kind a built-in has is left out.
   */
  setCustom(kinds: readonly ResourceKind[]): void {
    this.#custom = kinds;
    this.#all = [...this.#builtins, ...kinds];
    this.#revision++;
    this.#index();
  }

  #index(): void {
    this.#byPath.clear();
    this.#byKind.clear();
    this.#byResource.clear();
    for (const k of this.#all) {
      const path = `${k.group}/${k.version}/${k.plural}`;
      if (this.#byPath.has(path)) continue;
      this.#byPath.set(path, k);
      // A converted version shares the stored objects; lookups by resource or kind mean the stored version.
      if (k.conversion) continue;
      if (!this.#byKind.has(`${k.group}/${k.kind}`)) this.#byKind.set(`${k.group}/${k.kind}`, k);
      if (!this.#byResource.has(resourceId(k))) this.#byResource.set(resourceId(k), k);
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
    for (const k of this.#all) seen.set(`${k.group}/${k.version}`, { group: k.group, version: k.version });
    return [...seen.values()];
  }

  inGroupVersion(group: string, version: string): ResourceKind[] {
    return this.#all.filter((k) => k.group === group && k.version === version);
  }
}
