// OpenAPI v3 documents: the root index and one document per group version, derived from
// the registry. Each write operation lists the `fieldValidation` parameter, which is how
// kubectl learns that the server validates fields itself (cli-runtime's query param verifier).
import type { KindIndex } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

/** Upstream's definition names: io.k8s.api.<package>.<version>.<Kind>. */
export function definitionName(k: ResourceKind): string {
  const pkg = k.group === "" ? "core" : k.group.split(".")[0];
  return `io.k8s.api.${pkg}.${k.version}.${k.kind}`;
}

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

function operation(k: ResourceKind, action: string, id: string, params: object[]) {
  const ref = { $ref: `#/components/schemas/${definitionName(k)}` };
  return {
    operationId: id,
    parameters: params,
    responses: { "200": { description: "OK", content: { "application/json": { schema: ref } } } },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group: k.group, version: k.version, kind: k.kind },
  };
}

function pathsFor(k: ResourceKind): Record<string, object> {
  const base = `/${gvPath(k.group, k.version)}${k.namespaced ? "/namespaces/{namespace}" : ""}/${k.plural}`;
  const scope = k.namespaced ? [param("namespace", "path", "object name and auth scope")] : [];
  const named = [param("name", "path", `name of the ${k.kind}`), ...scope];
  const id = `${k.kind}`;
  return {
    [base]: {
      get: operation(k, "list", `list${id}`, scope),
      post: operation(k, "post", `create${id}`, [...scope, ...writeParams]),
      delete: operation(k, "deletecollection", `deleteCollection${id}`, scope),
    },
    [`${base}/{name}`]: {
      get: operation(k, "get", `read${id}`, named),
      put: operation(k, "put", `replace${id}`, [...named, ...writeParams]),
      patch: operation(k, "patch", `patch${id}`, [
        ...named,
        ...writeParams,
        param("force", "query", 'Force is going to "force" Apply requests.'),
      ]),
      delete: operation(k, "delete", `delete${id}`, named),
    },
  };
}

function schemaFor(k: ResourceKind) {
  return {
    type: "object",
    properties: {
      apiVersion: {
        type: "string",
        description: "APIVersion defines the versioned schema of this representation of an object.",
      },
      kind: {
        type: "string",
        description: "Kind is a string value representing the REST resource this object represents.",
      },
      metadata: {
        type: "object",
        description: "Standard object's metadata.",
        "x-kubernetes-preserve-unknown-fields": true,
      },
      spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
    "x-kubernetes-group-version-kind": [{ group: k.group, version: k.version, kind: k.kind }],
  };
}

export function groupVersionDocument(kinds: KindIndex, group: string, version: string) {
  const inGv = kinds.inGroupVersion(group, version);
  if (inGv.length === 0) return undefined;
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths: Object.assign({}, ...inGv.map(pathsFor)),
    components: { schemas: Object.fromEntries(inGv.map((k) => [definitionName(k), schemaFor(k)])) },
  };
}

/** FNV-1a of the document, so clients may cache a group version's document by its URL. */
function hashOf(text: string): string {
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
    const hash = hashOf(JSON.stringify(groupVersionDocument(kinds, gv.group, gv.version)));
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}
