// Writes that upstream's built-in controllers would make at once and that every client
// expects to find: each namespace gets its "default" ServiceAccount (the serviceaccount
// controller). Kept as a table so a new effect is one entry, not a branch in create.
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { type ApiContext, timestamp } from "../context.ts";

type Effect = (ctx: ApiContext, created: KubeObject) => void;

function ensureDefaultServiceAccount(ctx: ApiContext, ns: KubeObject): void {
  const namespace = ns.metadata.name!;
  if (ctx.store.get("serviceaccounts", namespace, "default")) return;
  ctx.store.put(
    "serviceaccounts",
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "default", namespace, uid: crypto.randomUUID(), creationTimestamp: timestamp(ctx.now()) },
    },
    "ADDED",
  );
}

const afterCreate: Record<string, Effect[]> = {
  namespaces: [ensureDefaultServiceAccount],
};

export function runAfterCreate(ctx: ApiContext, kind: ResourceKind, created: KubeObject): void {
  for (const effect of afterCreate[resourceId(kind)] ?? []) effect(ctx, created);
}
