// Checks a write must pass before it reaches a kind's own validation: the namespace exists
// and is not terminating (upstream's NamespaceLifecycle admission); and upstream's
// DefaultTolerationSeconds admission for new pods, with the cluster's setting.
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from "../../../kube/well-known-taints.ts";
import { forbidden, groupResource, notFound } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import { DEFAULT_SETTINGS } from "../settings.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ApiContext } from "./context.ts";

export function admitIntoNamespace(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): void {
  if (!kind.namespaced || namespace === undefined) return;
  const ns = ctx.store.get("namespaces", undefined, namespace);
  if (!ns) throw notFound("", "namespaces", namespace);
  if (ns.object.metadata.deletionTimestamp || ns.object.status?.phase === "Terminating")
    throw forbidden(
      `${groupResource(kind.group, kind.plural)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      { name, group: kind.group || undefined, kind: kind.plural },
    );
}

export function storeResource(kind: ResourceKind): string {
  return resourceId(kind);
}

/**
 * DefaultTolerationSeconds: a pod created without a NoExecute toleration of the not-ready or
 * unreachable taint gets one for the cluster's defaultTolerationSeconds (runs before the pod's
 * own defaulting, which then finds them present).
 */
export function admitDefaultTolerationSeconds(ctx: ApiContext, kind: ResourceKind, obj: KubeObject): void {
  if (resourceId(kind) !== "pods" || typeof obj.spec !== "object" || obj.spec === null) return;
  // A malformed list is validation's to report, not ours to replace.
  if (obj.spec.tolerations != null && !Array.isArray(obj.spec.tolerations)) return;
  const seconds = (ctx.settings ?? DEFAULT_SETTINGS).defaultTolerationSeconds;
  const tolerations: { key?: string; effect?: string }[] = obj.spec.tolerations ?? [];
  const covers = (key: string) =>
    tolerations.some((t) => (t?.key === key || !t?.key) && (t?.effect === "NoExecute" || !t?.effect));
  const added = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]
    .filter((key) => !covers(key))
    .map((key) => ({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: seconds }));
  if (added.length > 0) obj.spec.tolerations = [...tolerations, ...added];
}
