// Upstream's DefaultIngressClass admission plugin: an Ingress created without spec.ingressClassName (and
// without the legacy kubernetes.io/ingress.class annotation) gets the default IngressClass's name; of
// several classes marked default, the newest wins (then the name), as the plugin chooses since 1.28.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { DEFAULT_CLASS_ANNOTATION, INGRESS_CLASSES, INGRESSES } from "../registry/ingresses.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";

const LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

export function defaultIngressClass(ctx: ApiContext): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const { object: ic } of ctx.store.list(INGRESS_CLASSES)) {
    if (ic.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] !== "true") continue;
    const a = ic.metadata.creationTimestamp ?? "";
    const b = best?.metadata.creationTimestamp ?? "";
    if (!best || a > b || (a === b && (ic.metadata.name ?? "") < (best.metadata.name ?? ""))) best = ic;
  }
  return best;
}

export function admitDefaultIngressClass(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  if (resourceId(kind) !== INGRESSES || typeof obj.spec !== "object" || obj.spec === null) return;
  if (obj.spec.ingressClassName !== undefined && obj.spec.ingressClassName !== null) return;
  if (obj.metadata.annotations?.[LEGACY_CLASS_ANNOTATION] !== undefined) return;
  const def = defaultIngressClass(ctx);
  if (def) obj.spec.ingressClassName = def.metadata.name;
}
