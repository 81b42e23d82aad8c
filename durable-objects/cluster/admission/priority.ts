// Upstream's Priority admission plugin for pods: spec.priority comes from the PriorityClass
// named by priorityClassName (or the global default class, else 0), and with it the class's
// preemptionPolicy; a client may not set a different number itself.
import { forbidden } from "../../../kube/status.ts";
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { resourceId } from "../registry/lookup.ts";
import { PRIORITY_CLASSES, SYSTEM_PRIORITY_CLASSES } from "../registry/priorityclasses.ts";
import type { ResourceKind } from "../registry/types.ts";

interface Resolved {
  name: string;
  value: number;
  preemptionPolicy?: string;
}

function lookup(ctx: ApiContext, name: string): Resolved | undefined {
  const pc = ctx.store.get(PRIORITY_CLASSES, undefined, name)?.object;
  if (pc) return { name, value: pc.value as number, preemptionPolicy: pc.preemptionPolicy as string | undefined };
  const system = SYSTEM_PRIORITY_CLASSES[name];
  return system === undefined ? undefined : { name, value: system, preemptionPolicy: "PreemptLowerPriority" };
}

/** The global default class with the lowest value, as upstream's getDefaultPriorityClass picks. */
function globalDefault(ctx: ApiContext): Resolved | undefined {
  let best: KubeObject | undefined;
  for (const e of ctx.store.list(PRIORITY_CLASSES))
    if (e.object.globalDefault === true && (!best || (e.object.value as number) < (best.value as number)))
      best = e.object;
  return (
    best && {
      name: best.metadata.name!,
      value: best.value as number,
      preemptionPolicy: best.preemptionPolicy as string,
    }
  );
}

/** Call on pod create, before the kind's defaults (which would fill priority 0). */
export function admitPodPriority(ctx: ApiContext, kind: ResourceKind, pod: KubeObject): void {
  if (resourceId(kind) !== "pods") return;
  pod.spec ??= {};
  const spec = pod.spec as { priorityClassName?: string; priority?: number | null; preemptionPolicy?: string };
  const deny = (message: string) =>
    forbidden(`pods "${pod.metadata.name ?? ""}" is forbidden: ${message}`, { name: pod.metadata.name, kind: "pods" });
  let resolved: Resolved;
  if (spec.priorityClassName) {
    const found = lookup(ctx, spec.priorityClassName);
    if (!found) throw deny(`no PriorityClass with name ${spec.priorityClassName} was found`);
    resolved = found;
  } else {
    resolved = globalDefault(ctx) ?? { name: "", value: 0 };
    if (resolved.name) spec.priorityClassName = resolved.name;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== resolved.value)
    throw deny(
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${resolved.value} from the given PriorityClass name`,
    );
  spec.priority = resolved.value;
  if (resolved.preemptionPolicy && !spec.preemptionPolicy) spec.preemptionPolicy = resolved.preemptionPolicy;
}
