// The scale (autoscaling/v1 Scale) and binding subresources.
import { invalid as invalidField } from "../../../kube/field-errors.ts";
import { badRequest, conflict, invalid, notFound, staleConflict } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import { resourceId } from "../registry/lookup.ts";
import type { ResourceKind } from "../registry/types.ts";
import { type ApiContext, timestamp } from "../context.ts";
import type { WriteOptions } from "./options.ts";
import { updateObject } from "./update.ts";

export interface Scale extends KubeObject {
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

export function scaleOf(kind: ResourceKind, obj: KubeObject): Scale {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const access = kind.subresources?.scale;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: access?.replicas ? access.replicas(obj) : (obj.spec?.replicas ?? 0) },
    status: {
      replicas: access?.statusReplicas ? access.statusReplicas(obj) : (obj.status?.replicas ?? 0),
      selector: access?.selector(obj),
    },
  };
}

/** Writes a Scale back as spec.replicas of its workload, with the Scale's resourceVersion as precondition. */
export function updateScale(
  ctx: ApiContext,
  kind: ResourceKind,
  target: { namespace?: string; name: string },
  scale: Scale,
  options: WriteOptions,
): Scale {
  const current = ctx.store.get(resourceId(kind), target.namespace, target.name);
  if (!current) throw notFound(kind.group, kind.plural, target.name);
  // ScaleSpec.replicas is `omitempty`: a Scale to 0 arrives without it (JSON and protobuf alike).
  const replicas = scale.spec?.replicas ?? 0;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
    throw invalid("autoscaling", "Scale", target.name, [
      invalidField("spec.replicas", replicas, "must be greater than or equal to 0"),
    ]);
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== current.object.metadata.resourceVersion) throw staleConflict(kind.group, kind.plural, target.name);
  const next = structuredClone(current.object);
  const setReplicas = kind.subresources?.scale?.setReplicas;
  if (setReplicas) setReplicas(next, replicas);
  else next.spec = { ...next.spec, replicas };
  return scaleOf(kind, updateObject(ctx, kind, target, next, options));
}

/** pods/binding: assigns a pod to a node once, as the scheduler does. */
export function bindPod(
  ctx: ApiContext,
  kind: ResourceKind,
  namespace: string,
  name: string,
  binding: KubeObject,
  options: WriteOptions,
): void {
  const current = ctx.store.get(resourceId(kind), namespace, name);
  if (!current) throw notFound(kind.group, kind.plural, name);
  const nodeName = (binding.target as { name?: string } | undefined)?.name;
  if (!nodeName) throw badRequest("target.name: Required value");
  const pod = current.object;
  if (pod.spec?.nodeName)
    throw conflict("", "pods/binding", name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  if (pod.metadata.deletionTimestamp)
    throw conflict("", "pods/binding", name, `pod ${name} is being deleted, cannot be assigned to a host`);
  const next = structuredClone(pod);
  next.spec = { ...next.spec, nodeName };
  const conditions = (next.status?.conditions ?? []).filter((c: { type: string }) => c.type !== "PodScheduled");
  conditions.push({
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: timestamp(ctx.now()),
  });
  next.status = { ...next.status, conditions };
  if (options.dryRun) return;
  // Binding writes spec and status together, bypassing the spec immutability of updates.
  ctx.store.put(resourceId(kind), next, "MODIFIED");
}
