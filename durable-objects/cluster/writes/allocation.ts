// Cluster-wide allocations a single object cannot see by itself (a Service's cluster IP and node
// ports, chosen or checked against every other Service): the kind's own `allocate`.
import { invalid } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ApiContext } from "../context.ts";

export function allocate(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, old?: KubeObject): void {
  const errors = kind.allocate?.(ctx, obj, old) ?? [];
  if (errors.length > 0) throw invalid(kind.group, kind.kind, obj.metadata.name ?? "", errors);
}
