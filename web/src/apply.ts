// Applying the editor's YAML: each document goes to its resource's path (found through discovery, as
// kubectl does) with server-side apply. The YAML parser loads only when someone applies.
import type { ClusterApi } from "./kube-client.ts";

export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

/** /api/v1 for the core group, /apis/<group>/<version> for the others. */
export function groupVersionBase(apiVersion: string): string {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** Why a document cannot be applied, in kubectl's words where it has them; undefined when it can. */
export function manifestProblem(doc: Manifest): string | undefined {
  if (typeof doc.apiVersion !== "string" || !doc.apiVersion) return "apiVersion not set";
  if (typeof doc.kind !== "string" || !doc.kind) return "kind not set";
  if (typeof doc.metadata?.name !== "string" || !doc.metadata.name) return "metadata.name not set";
  return undefined;
}

/** The object's API path from its group version's resource list. */
export function manifestPath(doc: Manifest, resources: ApiResource[], defaultNamespace = "default"): string {
  const apiVersion = doc.apiVersion as string;
  const resource = resources.find((r) => r.kind === doc.kind && !r.name.includes("/"));
  if (!resource) throw new Error(`no matches for kind "${doc.kind}" in version "${apiVersion}"`);
  const base = groupVersionBase(apiVersion);
  const name = encodeURIComponent(doc.metadata?.name as string);
  if (!resource.namespaced) return `${base}/${resource.name}/${name}`;
  const namespace = typeof doc.metadata?.namespace === "string" ? doc.metadata.namespace : defaultNamespace;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}/${name}`;
}

export interface AppliedResult {
  ok: boolean;
  text: string;
}

/** Parses the YAML stream; throws with the parser's message on bad YAML. */
export async function parseManifests(text: string): Promise<Manifest[]> {
  const { parseAllDocuments } = await import("yaml");
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: Manifest[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new Error(`error parsing YAML: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) throw new Error("each YAML document must be an object");
    out.push(value as Manifest);
  }
  if (out.length === 0) throw new Error("no objects passed to apply");
  return out;
}

/** Applies every document in order; one line per document, e.g. `deployment.apps/web serverside-applied`. */
export async function applyYaml(api: ClusterApi, text: string): Promise<AppliedResult[]> {
  const docs = await parseManifests(text);
  const discovery = new Map<string, Promise<ApiResource[]>>();
  const resourcesOf = (apiVersion: string) => {
    let found = discovery.get(apiVersion);
    if (!found) {
      found = api.json<{ resources: ApiResource[] }>("GET", groupVersionBase(apiVersion)).then((l) => l.resources);
      discovery.set(apiVersion, found);
    }
    return found;
  };
  const results: AppliedResult[] = [];
  for (const doc of docs) {
    const problem = manifestProblem(doc);
    if (problem) {
      results.push({ ok: false, text: `error: ${problem}` });
      continue;
    }
    try {
      const resources = await resourcesOf(doc.apiVersion as string);
      const path = manifestPath(doc, resources);
      const group = (doc.apiVersion as string).includes("/") ? `.${(doc.apiVersion as string).split("/")[0]}` : "";
      await api.apply(path, doc);
      // kubectl's wording: the lower-cased kind, qualified by its group.
      const kind = (doc.kind as string).toLowerCase();
      results.push({ ok: true, text: `${kind}${group}/${doc.metadata?.name} serverside-applied` });
    } catch (err) {
      results.push({ ok: false, text: (err as Error).message });
    }
  }
  return results;
}
