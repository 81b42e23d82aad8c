// OpenAPI v3 documents: the root index and one document per group version. Paths come from the
// registry; schemas come from kube/schema, the single source of truth for every kind's shape.
// Each write operation lists the `fieldValidation` parameter, which is how kubectl learns that
// the server validates fields itself (cli-runtime's query param verifier).
import { type Definitions, listObject, meta, preserveUnknown, type Schema } from "../../../kube/schema/dsl.ts";
import type { JSONSchemaProps } from "../../../kube/schema/json-schema.ts";
import { componentSchemas } from "../../../kube/schema/openapi.ts";
import { definitions } from "../../../kube/schema/registry.ts";
import { definitionName } from "../registry/definition-name.ts";
import type { KindIndex } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";

const SCALE = "io.k8s.api.autoscaling.v1.Scale";

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);
const gvkOf = (k: ResourceKind) => ({ group: k.group, version: k.version, kind: k.kind });

const listName = (k: ResourceKind) => `${definitionName(k)}List`;

const param = (name: string, location: "query" | "path", description: string) => ({
  name,
  in: location,
  description,
  ...(location === "path" ? { required: true } : {}),
  schema: { type: "string", uniqueItems: true },
});

const writeParams = [
  param("dryRun", "query", "When present, indicates that modifications should not be persisted."),
  param(
    "fieldManager",
    "query",
    "fieldManager is a name associated with the actor or entity that is making these changes.",
  ),
  param(
    "fieldValidation",
    "query",
    "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.",
  ),
];
const patchParams = [...writeParams, param("force", "query", 'Force is going to "force" Apply requests.')];

function operation(k: ResourceKind, action: string, id: string, params: object[], schemaName = definitionName(k)) {
  const ref = { $ref: `#/components/schemas/${schemaName}` };
  return {
    operationId: id,
    parameters: params,
    responses: { "200": { description: "OK", content: { "application/json": { schema: ref } } } },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind":
      schemaName === SCALE ? { group: "autoscaling", version: "v1", kind: "Scale" } : gvkOf(k),
  };
}

function subresourcePaths(k: ResourceKind, named: string, params: object[]): Record<string, object> {
  const out: Record<string, object> = {};
  const id = k.kind;
  if (k.subresources?.status)
    out[`${named}/status`] = {
      get: operation(k, "get", `read${id}Status`, params),
      put: operation(k, "put", `replace${id}Status`, [...params, ...writeParams]),
      patch: operation(k, "patch", `patch${id}Status`, [...params, ...patchParams]),
    };
  if (k.subresources?.scale)
    out[`${named}/scale`] = {
      get: operation(k, "get", `read${id}Scale`, params, SCALE),
      put: operation(k, "put", `replace${id}Scale`, [...params, ...writeParams], SCALE),
      patch: operation(k, "patch", `patch${id}Scale`, [...params, ...patchParams], SCALE),
    };
  return out;
}

function pathsFor(k: ResourceKind): Record<string, object> {
  const base = `/${gvPath(k.group, k.version)}${k.namespaced ? "/namespaces/{namespace}" : ""}/${k.plural}`;
  const scope = k.namespaced ? [param("namespace", "path", "object name and auth scope")] : [];
  const named = [param("name", "path", `name of the ${k.kind}`), ...scope];
  const id = k.kind;
  return {
    [base]: {
      get: operation(k, "list", `list${id}`, scope, listName(k)),
      post: operation(k, "post", `create${id}`, [...scope, ...writeParams]),
      delete: operation(k, "deletecollection", `deleteCollection${id}`, scope),
    },
    [`${base}/{name}`]: {
      get: operation(k, "get", `read${id}`, named),
      put: operation(k, "put", `replace${id}`, [...named, ...writeParams]),
      patch: operation(k, "patch", `patch${id}`, [...named, ...patchParams]),
      delete: operation(k, "delete", `delete${id}`, named),
    },
    ...subresourcePaths(k, `${base}/{name}`, named),
  };
}

/** A CRD version's schema as upstream publishes it: apiVersion, kind and metadata filled in, its GVK named. */
function customSchema(k: ResourceKind, schema: JSONSchemaProps): Record<string, unknown> {
  const properties = {
    apiVersion: {
      type: "string",
      description: "APIVersion defines the versioned schema of this representation of an object.",
    },
    kind: {
      type: "string",
      description: "Kind is a string value representing the REST resource this object represents.",
    },
    ...(schema.properties ?? {}),
    metadata: {
      allOf: [{ $ref: `#/components/schemas/${meta("ObjectMeta")}` }],
      description: "Standard object's metadata.",
    },
  };
  return { ...schema, type: "object", properties, "x-kubernetes-group-version-kind": [gvkOf(k)] };
}

/** A kind without a modelled schema still gets a valid, permissive one. */
function placeholder(k: ResourceKind): Schema {
  return { ...preserveUnknown(`${k.kind} (schema not modelled).`), gvk: [gvkOf(k)] };
}

/** The definitions of this group version's kinds, their lists and Scale where used. */
export function documentDefinitions(kinds: ResourceKind[]): { defs: Definitions; roots: string[] } {
  const defs: Record<string, Schema> = { ...definitions };
  const roots: string[] = [];
  for (const k of kinds) {
    const name = definitionName(k);
    if (k.openAPISchema) roots.push(meta("ObjectMeta"));
    else if (!Object.hasOwn(defs, name)) defs[name] = placeholder(k);
    defs[listName(k)] = listObject({ group: k.group, version: k.version, kind: `${k.kind}List` }, name);
    roots.push(...(k.openAPISchema ? [] : [name]), listName(k));
    if (k.subresources?.scale) roots.push(SCALE);
  }
  return { defs, roots };
}

function buildDocument(kinds: KindIndex, group: string, version: string) {
  const inGv = kinds.inGroupVersion(group, version);
  if (inGv.length === 0) return undefined;
  const { defs, roots } = documentDefinitions(inGv);
  const schemas = componentSchemas(defs, roots);
  for (const k of inGv) if (k.openAPISchema) schemas[definitionName(k)] = customSchema(k, k.openAPISchema);
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths: Object.assign({}, ...inGv.map(pathsFor)),
    components: { schemas },
  };
}

type Document = ReturnType<typeof buildDocument>;
// Documents depend only on the kind table: build each once per revision of it.
const cache = new WeakMap<KindIndex, { revision: number; docs: Map<string, { doc: Document; hash: string }> }>();

function cached(kinds: KindIndex, group: string, version: string) {
  let held = cache.get(kinds);
  if (!held || held.revision !== kinds.revision) {
    held = { revision: kinds.revision, docs: new Map() };
    cache.set(kinds, held);
  }
  const perIndex = held.docs;
  const key = `${group}/${version}`;
  let entry = perIndex.get(key);
  if (!entry) {
    const doc = buildDocument(kinds, group, version);
    entry = { doc, hash: hashOf(JSON.stringify(doc) ?? "") }; // no document for a group version not served
    perIndex.set(key, entry);
  }
  return entry;
}

export function groupVersionDocument(kinds: KindIndex, group: string, version: string) {
  return cached(kinds, group, version).doc;
}

/** FNV-1a of the document, so clients may cache a group version's document by its URL. */
export function hashOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

export function openApiRoot(kinds: KindIndex) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of kinds.groupVersions()) {
    const path = gvPath(gv.group, gv.version);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${cached(kinds, gv.group, gv.version).hash}` };
  }
  return { paths };
}
