// The objects upstream's apiserver makes for itself when it starts (the system namespaces, the `kubernetes`
// Service), and the cluster's default StorageClass and IngressClass: ensured at every start of the object.
import type { ApiContext } from "./context.ts";
import { ensureKubernetesService } from "./kubernetes-service.ts";
import { EDGE_INGRESS_CLASS, INGRESS_CLASSES, ingressClasses } from "./registry/ingresses.ts";
import { STORAGE_CLASSES } from "./registry/storage-common.ts";
import { DEFAULT_STORAGE_CLASS, storageClasses } from "./registry/storageclasses.ts";
import { createObject } from "./writes/create.ts";
import { SYSTEM_WRITE } from "./writes/options.ts";

/** Namespaces every cluster starts with, as upstream's apiserver creates them. */
const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export function ensureSystemObjects(ctx: ApiContext): void {
  const namespaces = ctx.kinds.byResource("namespaces")!;
  for (const name of SYSTEM_NAMESPACES) {
    if (ctx.store.get("namespaces", undefined, name)) continue;
    createObject(ctx, namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } }, SYSTEM_WRITE);
  }
  ensureKubernetesService(ctx);
  // Recreated at start when missing, as the addon manager's EnsureExists mode does; a class the user
  // changed is left as it is.
  if (!ctx.store.get(STORAGE_CLASSES, undefined, DEFAULT_STORAGE_CLASS.metadata.name!))
    createObject(ctx, storageClasses, undefined, structuredClone(DEFAULT_STORAGE_CLASS), SYSTEM_WRITE);
  if (!ctx.store.get(INGRESS_CLASSES, undefined, EDGE_INGRESS_CLASS.metadata.name!))
    createObject(ctx, ingressClasses, undefined, structuredClone(EDGE_INGRESS_CLASS), SYSTEM_WRITE);
}
