// List: selection, key-ordered pagination with continue tokens, and a JSON body assembled
// from each object's stored serialization instead of re-serializing thousands of objects.
import { badRequest } from "../../../kube/status.ts";
import type { ListMeta } from "../../../kube/types.ts";
import { apiVersionOf, resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { StoredEntry } from "../store/object-store.ts";
import type { ApiContext } from "../context.ts";
import { withUnstored } from "./unstored.ts";
import type { ListOptions } from "./options.ts";
import { selection } from "./selection.ts";

export interface ListResult {
  entries: StoredEntry[];
  metadata: ListMeta;
}

interface ContinueToken {
  v: "meta.k8s.io/v1";
  rv: number;
  /** The key to resume after (exclusive). */
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return btoa(JSON.stringify(token)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeContinue(text: string): ContinueToken {
  try {
    const token = JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/"))) as ContinueToken;
    if (token.v !== "meta.k8s.io/v1" || typeof token.start !== "string" || typeof token.rv !== "number")
      throw new Error("bad token");
    return token;
  } catch {
    throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
}

/**
 * The page of matching objects. Pages after the first continue from the last key returned;
 * they show the current state (not a snapshot at the first page's revision), and carry that
 * first revision so a client sees one resourceVersion for the whole list. A page reads the
 * store from its continue key and stops one match past its limit, so it costs its own size
 * (issue 22: it used to visit every object of the resource). remainingItemCount is counted
 * only without selectors, as upstream's storage does ("Instead of returning inaccurate count
 * for non-empty selectors, we return nil"), and then by rank, without visiting the objects.
 */
export function listEntries(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  options: ListOptions,
): ListResult {
  const matches = selection(kind, options.labelSelector, options.fieldSelector);
  const token = options.continueToken ? decodeContinue(options.continueToken) : undefined;
  const revision = token?.rv ?? ctx.store.revision;
  const resource = resourceId(kind);
  const all = kind.unstoredObjects
    ? withUnstored(ctx, kind, namespace, ctx.store.list(resource, namespace)).filter(
        (e) => !token || e.key > token.start,
      )
    : ctx.store.scan(resource, namespace, token?.start);
  const entries: StoredEntry[] = [];
  let more = false;
  let lastKey = "";
  for (const entry of all) {
    if (!matches(entry.object)) continue;
    if (options.limit > 0 && entries.length >= options.limit) {
      more = true;
      break;
    }
    entries.push(entry);
    lastKey = entry.key;
  }
  const metadata: ListMeta = { resourceVersion: String(revision) };
  if (more) {
    metadata.continue = encodeContinue({ v: "meta.k8s.io/v1", rv: revision, start: lastKey });
    if (!options.labelSelector && !options.fieldSelector)
      metadata.remainingItemCount = Array.isArray(all)
        ? all.filter((e) => e.key > lastKey).length
        : ctx.store.countAfter(resource, namespace, lastKey);
  }
  return { entries, metadata };
}

/** `{"kind":"PodList",...,"items":[...]}` joined from the stored JSON of each object. */
export function listJson(kind: ResourceKind, result: ListResult): string {
  const head = JSON.stringify({ kind: `${kind.kind}List`, apiVersion: apiVersionOf(kind), metadata: result.metadata });
  return `${head.slice(0, -1)},"items":[${result.entries.map((e) => e.json).join(",")}]}`;
}
