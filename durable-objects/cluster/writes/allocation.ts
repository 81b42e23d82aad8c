// Cluster-wide allocations a single object cannot see by itself: a Service's cluster IP and
// node ports are chosen (or checked) against every other Service. One entry per resource.
import type { FieldError } from "../../../kube/field-errors.ts";
import { invalid } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import { assignServiceAddresses, prepareServiceUpdate, type UsedAddresses } from "../registry/services-alloc.ts";
import type { ResourceKind } from "../registry/types.ts";
import type { ApiContext } from "../context.ts";

interface Allocator {
  /** Fills or checks allocated values; `old` is set on update. */
  assign(ctx: ApiContext, obj: KubeObject, old?: KubeObject): FieldError[];
}

function usedByOtherServices(ctx: ApiContext, self: KubeObject): UsedAddresses {
  const clusterIPs = new Set<string>();
  const nodePorts = new Set<number>();
  for (const entry of ctx.store.list("services")) {
    const svc = entry.object;
    if (svc.metadata.uid === self.metadata.uid) continue;
    for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip && ip !== "None") clusterIPs.add(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) nodePorts.add(p.nodePort);
    if (svc.spec?.healthCheckNodePort) nodePorts.add(svc.spec.healthCheckNodePort);
  }
  return { clusterIPs, nodePorts };
}

const allocators: Record<string, Allocator> = {
  services: {
    assign(ctx, svc, old) {
      if (old) prepareServiceUpdate(svc, old);
      return assignServiceAddresses(svc, usedByOtherServices(ctx, svc));
    },
  },
};

export function allocate(ctx: ApiContext, kind: ResourceKind, obj: KubeObject, old?: KubeObject): void {
  const errors = allocators[resourceId(kind)]?.assign(ctx, obj, old) ?? [];
  if (errors.length > 0) throw invalid(kind.group, kind.kind, obj.metadata.name ?? "", errors);
}
