// A small schema language for API objects. Each served kind's shape is written once with these
// builders; the OpenAPI documents, unknown-field detection and the strategic-merge-patch table
// are all derived from it, so the three can never disagree.

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Facts every schema node may carry: its documentation and, as a field, its patch behaviour. */
interface Common {
  description?: string;
  /** Upstream's `patchStrategy` struct tag: "merge", "retainKeys", "merge,retainKeys" or "replace". */
  patchStrategy?: string;
  /** Upstream's `patchMergeKey` struct tag, for lists merged element by element. */
  patchMergeKey?: string;
}

export interface ScalarSchema extends Common {
  kind: "scalar";
  type: "string" | "integer" | "number" | "boolean";
  format?: string;
  enum?: readonly string[];
}

export interface ObjectSchema extends Common {
  kind: "object";
  properties: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  /** Fields we do not model: anything goes below this node, and nothing is pruned. */
  preserveUnknown?: boolean;
  /** "atomic": a client owns and replaces the whole object (server-side apply). */
  mapType?: "atomic" | "granular";
  /** Set on top-level kinds: what kubectl explain uses to find a resource's schema. */
  gvk?: readonly GroupVersionKind[];
}

export interface MapSchema extends Common {
  kind: "map";
  value: Schema;
}

export interface ArraySchema extends Common {
  kind: "array";
  items: Schema;
  listType?: "atomic" | "set" | "map";
  mapKeys?: readonly string[];
}

export interface RefSchema extends Common {
  kind: "ref";
  name: string;
}

/** A named scalar with a hand-written OpenAPI form (Quantity, IntOrString): accepts any value. */
export interface OpaqueSchema extends Common {
  kind: "opaque";
  openapi: Readonly<Record<string, unknown>>;
}

export type Schema = ScalarSchema | ObjectSchema | MapSchema | ArraySchema | RefSchema | OpaqueSchema;

/** Named definitions, keyed by upstream's names (io.k8s.api.core.v1.PodSpec, …). */
export type Definitions = Readonly<Record<string, Schema>>;

// Names of the shared apimachinery types.
export const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
export const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
export const TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
export const MICRO_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";

/** Reference names in a package: `core("Container")` → io.k8s.api.core.v1.Container. */
export const core = (type: string) => `io.k8s.api.core.v1.${type}`;
export const apps = (type: string) => `io.k8s.api.apps.v1.${type}`;
export const batch = (type: string) => `io.k8s.api.batch.v1.${type}`;
export const meta = (type: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${type}`;

// Scalars.
export const string = (description?: string): ScalarSchema => ({ kind: "scalar", type: "string", description });
export const enumOf = (values: readonly string[], description?: string): ScalarSchema => ({
  kind: "scalar",
  type: "string",
  enum: values,
  description,
});
export const integer = (description?: string, format: "int32" | "int64" = "int32"): ScalarSchema => ({
  kind: "scalar",
  type: "integer",
  format,
  description,
});
export const int64 = (description?: string) => integer(description, "int64");
export const number = (description?: string): ScalarSchema => ({
  kind: "scalar",
  type: "number",
  format: "double",
  description,
});
export const boolean = (description?: string): ScalarSchema => ({ kind: "scalar", type: "boolean", description });
/** Base64-encoded bytes, as []byte fields are written in JSON. */
export const bytes = (description?: string): ScalarSchema => ({
  kind: "scalar",
  type: "string",
  format: "byte",
  description,
});

// References.
export const ref = (name: string, description?: string): RefSchema => ({ kind: "ref", name, description });
export const quantity = (description?: string) => ref(QUANTITY, description);
export const intOrString = (description?: string) => ref(INT_OR_STRING, description);
export const time = (description?: string) => ref(TIME, description);
export const microTime = (description?: string) => ref(MICRO_TIME, description);

// Containers.
export const map = (value: Schema, description?: string): MapSchema => ({ kind: "map", value, description });
export const stringMap = (description?: string) => map(string(), description);

export interface ArrayOptions {
  listType?: "atomic" | "set" | "map";
  mapKeys?: readonly string[];
  patchMergeKey?: string;
  patchStrategy?: string;
}

export const array = (items: Schema, description?: string, opts: ArrayOptions = {}): ArraySchema => ({
  kind: "array",
  items,
  description,
  ...opts,
});

/** A list merged by key, both for strategic merge patch and server-side apply (listType map). */
export const keyedList = (items: Schema, key: string, description?: string, mapKeys: readonly string[] = [key]) =>
  array(items, description, { listType: "map", mapKeys, patchMergeKey: key, patchStrategy: "merge" });

/** A list of strings that strategic merge patch treats as a set. */
export const mergedSet = (description?: string) =>
  array(string(), description, { listType: "set", patchStrategy: "merge" });

export const atomicList = (items: Schema, description?: string) => array(items, description, { listType: "atomic" });

export interface ObjectOptions {
  required?: readonly string[];
  preserveUnknown?: boolean;
  mapType?: "atomic" | "granular";
  gvk?: readonly GroupVersionKind[];
}

export const object = (
  properties: Record<string, Schema>,
  description?: string,
  opts: ObjectOptions = {},
): ObjectSchema => ({ kind: "object", properties, description, ...opts });

/** An object whose contents we accept as they come (not modelled, or free-form by design). */
export const preserveUnknown = (description?: string): ObjectSchema =>
  object({}, description, { preserveUnknown: true });

/** The same schema with patch behaviour attached, for use as a field. */
export const withPatch = <S extends Schema>(schema: S, patchStrategy: string, patchMergeKey?: string): S => ({
  ...schema,
  patchStrategy,
  ...(patchMergeKey ? { patchMergeKey } : {}),
});

/** The object schema a node stands for, following references; undefined for non-objects. */
export function resolve(defs: Definitions, schema: Schema): Schema | undefined {
  let s: Schema | undefined = schema;
  for (let hops = 0; s && s.kind === "ref"; hops++) {
    if (hops > 32) return undefined; // a reference loop is a bug in the definitions
    s = Object.hasOwn(defs, s.name) ? defs[s.name] : undefined;
  }
  return s;
}

/** A top-level kind: apiVersion, kind, metadata, then its own fields, tagged with its GVK. */
export function kindObject(
  gvk: GroupVersionKind,
  description: string,
  fields: Record<string, Schema>,
  opts: { required?: readonly string[] } = {},
): ObjectSchema {
  return object(
    {
      apiVersion: string(
        "The versioned schema of this object, as group/version (for example apps/v1); the server converts objects it recognises.",
      ),
      kind: string("The type of REST resource this object represents, in CamelCase; it cannot be changed."),
      metadata: ref(meta("ObjectMeta"), "Standard object metadata: name, namespace, labels, annotations and more."),
      ...fields,
    },
    description,
    { gvk: [gvk], required: opts.required },
  );
}

/** The list form of a kind (PodList, …), as list responses carry it. */
export function listObject(gvk: GroupVersionKind, itemName: string): ObjectSchema {
  return object(
    {
      apiVersion: string("The versioned schema of this list."),
      kind: string("The type of this list, in CamelCase."),
      metadata: ref(meta("ListMeta"), "Standard list metadata: resourceVersion and continue token."),
      items: array(ref(itemName), `The ${gvk.kind.replace(/List$/, "")} objects in the list.`),
    },
    `A list of ${gvk.kind.replace(/List$/, "")} objects.`,
    { gvk: [gvk], required: ["items"] },
  );
}
