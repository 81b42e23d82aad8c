// Strategic merge patch metadata, derived from the kind schemas in kube/schema: upstream reads it
// from the Go struct tags (`patchStrategy:"merge" patchMergeKey:"name"`) of the typed API
// objects; our schemas carry the same tags, so the table can never drift from the OpenAPI
// documents. Fields without tags behave as upstream's untagged fields: maps merge key by key,
// lists are replaced whole.
import { type Definitions, resolve, type Schema } from "../schema/dsl.ts";
import { definitionNamesForKind, definitions } from "../schema/registry.ts";

export interface FieldPatchMeta {
  /** "merge": lists merge by mergeKey (or as a set for primitives). "replace": taken whole. */
  strategy?: "merge" | "replace";
  /** Upstream's "retainKeys" strategy; the $retainKeys directive itself works without it. */
  retainKeys?: boolean;
  /** For merge lists of objects: the field that identifies an element. */
  mergeKey?: string;
  /** For lists of type map: the fields that together identify an element (server-side apply). */
  listMapKeys?: readonly string[];
  /** Metadata of the value's own fields (of each element, for lists). */
  fields?: PatchSchema;
}

export type PatchSchema = { readonly [field: string]: FieldPatchMeta };

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

class Deriver {
  readonly #byName = new Map<string, PatchSchema>();
  readonly #inProgress = new Set<string>();
  constructor(readonly defs: Definitions) {}

  /** The patch schema of a named object definition (empty for non-objects and cycles). */
  named(name: string): PatchSchema {
    const known = this.#byName.get(name);
    if (known) return known;
    if (this.#inProgress.has(name) || !Object.hasOwn(this.defs, name)) return {};
    this.#inProgress.add(name);
    const out = this.of(this.defs[name]);
    this.#inProgress.delete(name);
    this.#byName.set(name, out);
    return out;
  }

  /** The patch schema of an object node: one entry per field that has patch behaviour. */
  of(schema: Schema): PatchSchema {
    if (schema.kind === "ref") return this.named(schema.name);
    const s = schema;
    if (s.kind !== "object") return {};
    const out: Record<string, FieldPatchMeta> = {};
    for (const [field, fs] of Object.entries(s.properties)) {
      const meta = this.field(fs);
      if (Object.keys(meta).length) out[field] = meta;
    }
    return out;
  }

  field(s: Schema): FieldPatchMeta {
    const parts = (s.patchStrategy ?? "").split(",");
    const meta: FieldPatchMeta = {};
    if (parts.includes("merge")) meta.strategy = "merge";
    else if (parts.includes("replace")) meta.strategy = "replace";
    if (parts.includes("retainKeys")) meta.retainKeys = true;
    if (s.patchMergeKey) meta.mergeKey = s.patchMergeKey;
    if (s.kind === "array" && s.listType === "map" && s.mapKeys?.length) meta.listMapKeys = s.mapKeys;
    const inner = s.kind === "array" ? s.items : s;
    if (resolve(this.defs, inner)?.kind === "object") {
      const fields = this.of(inner);
      if (Object.keys(fields).length) meta.fields = fields;
    }
    return meta;
  }
}

const deriver = new Deriver(definitions);

/** The schema for a kind's objects ("Pod", "Deployment", …); every kind gets ObjectMeta's merge lists. */
export function patchSchemaForKind(kind: string): PatchSchema {
  const [name] = definitionNamesForKind(kind);
  const own = name ? deriver.named(name) : {};
  return { ...own, metadata: { fields: deriver.named(OBJECT_META) } };
}

/** Metadata for one field of a schema; unknown fields get {} (merge maps, replace lists). */
export function fieldPatchMeta(schema: PatchSchema | undefined, field: string): FieldPatchMeta {
  return schema && Object.hasOwn(schema, field) ? schema[field] : {};
}
