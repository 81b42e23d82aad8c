// Checks a write must pass before it reaches a kind's own validation: the namespace exists
// and is not terminating (upstream's NamespaceLifecycle admission).
import { forbidden, groupResource, notFound } from "../../../kube/status.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ApiContext } from "../context.ts";

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
