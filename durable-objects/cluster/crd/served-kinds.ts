// Keeps the cluster's kind table in step with its CustomResourceDefinitions: every Established
// CRD's versions are served, from the moment its status says so until it is gone.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { CRDS } from "../registry/customresourcedefinitions.ts";
import type { ResourceKind } from "../registry/types.ts";
import { customKinds } from "./custom-kinds.ts";

export const isEstablished = (crd: KubeObject): boolean =>
  (crd.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === "Established" && c.status === "True",
  );

function refresh(ctx: ApiContext, built: Map<string, { json: string; kinds: ResourceKind[] }>): void {
  const next: ResourceKind[] = [];
  const seen = new Set<string>();
  for (const entry of ctx.store.list(CRDS)) {
    if (!isEstablished(entry.object)) continue;
    seen.add(entry.key);
    let held = built.get(entry.key);
    // Kinds are rebuilt only when the CRD changed: schemas and columns are compiled once.
    if (!held || held.json !== entry.json) {
      held = { json: entry.json, kinds: customKinds(entry.object) };
      built.set(entry.key, held);
    }
    next.push(...held.kinds);
  }
  for (const key of built.keys()) if (!seen.has(key)) built.delete(key);
  ctx.kinds.setCustom(next);
}

/** Serves the stored CRDs' kinds now and follows every change to a CRD; returns the unsubscribe. */
export function serveCustomResources(ctx: ApiContext): () => void {
  const built = new Map<string, { json: string; kinds: ResourceKind[] }>();
  refresh(ctx, built);
  return ctx.store.onChange((change) => {
    if (change.entry.resource === CRDS) refresh(ctx, built);
  });
}
