// How objects are addressed in the store: `<resource>/<namespace>/<name>`, where resource is
// upstream's group-resource text ("pods", "deployments.apps") and cluster-scoped objects have
// an empty namespace. Sorting these keys gives upstream's list order (namespace, then name).

export function objectKey(resource: string, namespace: string | undefined, name: string): string {
  return `${resource}/${namespace ?? ""}/${name}`;
}

/** The prefix shared by every object of a resource, optionally within one namespace. */
export function resourcePrefix(resource: string, namespace?: string): string {
  return namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`;
}
